import type { QueueKey } from '../../../shared/config/resources.js';
import type { Card91CallInfo } from '../../../shared/card91/index.js';
import type { DcmsCallInfo } from '../../../shared/dcms/client.js';
import type { OutcomeReport } from '../../../shared/observability/telemetry.js';
import type { LocalResources } from '../../emulators.js';
import type { OperationCount } from '../report/operation-counter.js';

/**
 * Messages between the stack (parent) and the functions host (child process), over Node's IPC
 * channel. The channel keeps order, so a status answer arrives after every outcome reported before it.
 */

export interface HostConfiguration {
  resources: LocalResources;
  /** The tenants document, inline (locally the workers read no SSM). */
  tenantsJson: string;
  dcmsBaseUrl: string;
  card91BaseUrl: string;
  /** Instances (each with its own poller and runtime) of every queue worker. */
  instancesPerWorker: number;
  /** Every queue worker's retry budget (`--retry-budget`). */
  retryBudgetSeconds: number;
  /** Default: the Card91 sandbox's org id. */
  card91OrgId?: string;
  webhooks: {
    /** On 127.0.0.1. */
    port: number;
    /** The couriers document (COURIERS_JSON) and their signing keys (COURIER_SECRETS_JSON), inline. */
    couriersJson: string;
    courierSecretsJson: string;
  };
}

export type ParentMessage =
  | { type: 'start'; configuration: HostConfiguration }
  /** Asks for the busy pollers and the DynamoDB counts; answered by a `status` with the same id. */
  | { type: 'status'; id: number }
  | { type: 'stop' };

export interface HostStatus {
  /** Queues whose poller holds received records that are not settled yet. */
  busy: QueueKey[];
  dynamo: OperationCount[];
}

export interface HostReady {
  workers: Array<{ queue: QueueKey; serviceName: string }>;
  webhooks: { url: string; routes: string[] };
}

export type HostMessage =
  | ({ type: 'ready' } & HostReady)
  | { type: 'startFailed'; error: string }
  | { type: 'outcome'; queue: QueueKey; report: OutcomeReport }
  | { type: 'dcmsCall'; call: DcmsCallInfo }
  | { type: 'card91Call'; call: Card91CallInfo }
  | { type: 'pollerError'; queue: QueueKey; error: string }
  | ({ type: 'status'; id: number } & HostStatus);

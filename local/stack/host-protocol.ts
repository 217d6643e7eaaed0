import type { QueueKey } from '../../shared/config/resources.js';
import type { DcmsCallInfo } from '../../shared/dcms/client.js';
import type { OutcomeReport } from '../../shared/observability/telemetry.js';
import type { LocalResources } from '../emulators.js';
import type { OperationCount } from './operation-counter.js';

/**
 * Messages between the stack (parent) and the functions host (child process), over Node's IPC
 * channel. The channel keeps order, so a status answer arrives after every outcome reported before it.
 */

export interface HostConfiguration {
  resources: LocalResources;
  dcmsBaseUrl: string;
  /** The tenants document, inline (locally the workers read no SSM). */
  tenantsJson: string;
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

export type HostMessage =
  | { type: 'ready'; workers: Array<{ queue: QueueKey; serviceName: string }> }
  | { type: 'startFailed'; error: string }
  | { type: 'outcome'; queue: QueueKey; report: OutcomeReport }
  | { type: 'dcmsCall'; call: DcmsCallInfo }
  | { type: 'pollerError'; queue: QueueKey; error: string }
  | ({ type: 'status'; id: number } & HostStatus);

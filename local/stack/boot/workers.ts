import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createCardControlsHandler } from '../../../functions/card-controls/app.js';
import { createCoreBankingHandler } from '../../../functions/core-banking-events/app.js';
import { createCourierHandler } from '../../../functions/courier-events/app.js';
import type { Card91CallInfo } from '../../../shared/card91/index.js';
import type { QueueKey } from '../../../shared/config/resources.js';
import type { DcmsCallInfo } from '../../../shared/dcms/client.js';
import type { OutcomeObserver } from '../../../shared/observability/telemetry.js';
import type { Lane } from '../../../shared/resilience/fleet-rate-limiter.js';
import { createCard91WorkerRuntime } from '../../../shared/worker/card91-runtime.js';
import { createDcmsWorkerRuntime, type DcmsWorkerRuntime } from '../../../shared/worker/dcms-runtime.js';
import type { SqsHandler } from '../../event-source/sqs-poller.js';
import { localCard91WorkerEnv, localWorkerEnv } from '../../worker-env.js';
import type { HostConfiguration } from './host-protocol.js';

export interface WorkerHooks {
  observer: OutcomeObserver;
  onDcmsCall: (call: DcmsCallInfo) => void;
  onCard91Call: (call: Card91CallInfo) => void;
}

export interface LocalWorker {
  handler: SqsHandler;
  /** The worker's DynamoDB client, so the host can count what it sends. */
  dynamo: DynamoDBClient;
}

/** One queue worker of the product, as the local stack runs it. */
export interface WorkerDefinition {
  queue: QueueKey;
  serviceName: string;
  build(configuration: HostConfiguration, hooks: WorkerHooks): LocalWorker;
}

/** A worker on the DCMS runtime: the environment the CDK stack gives it, pointed at local resources. */
const dcmsWorker = (queue: QueueKey, serviceName: string, lane: Lane, createHandler: (runtime: DcmsWorkerRuntime) => SqsHandler): WorkerDefinition => ({
  queue,
  serviceName,
  build(configuration, hooks) {
    const { resources, tenantsJson, dcmsBaseUrl, retryBudgetSeconds } = configuration;
    const runtime = createDcmsWorkerRuntime(localWorkerEnv({ resources, tenantsJson, dcmsBaseUrl, queue, serviceName, lane, fast: true, retryBudgetSeconds }), hooks);
    return { handler: createHandler(runtime), dynamo: runtime.dynamo };
  },
});

/** The card-controls worker on the Card91 runtime; it signs sdkAuthTokens with the published local secret the local auth webhook verifies. */
const cardControls: WorkerDefinition = {
  queue: 'cardControls',
  serviceName: 'card-controls',
  build(configuration, hooks) {
    const { resources, tenantsJson, card91BaseUrl, card91OrgId, retryBudgetSeconds } = configuration;
    const env = localCard91WorkerEnv({ resources, tenantsJson, card91BaseUrl, ...(card91OrgId && { card91OrgId }), serviceName: 'card-controls', fast: true, retryBudgetSeconds });
    const runtime = createCard91WorkerRuntime(env, { observer: hooks.observer, onCard91Call: hooks.onCard91Call });
    return { handler: createCardControlsHandler(runtime), dynamo: runtime.dynamo };
  },
};

/** Every queue worker the local stack runs; the feed routes an event type to its queue when the queue's worker is listed here. */
export const WORKERS: readonly WorkerDefinition[] = [
  dcmsWorker('coreBanking', 'core-banking-events', 'realtime', createCoreBankingHandler),
  // The bulk lane: the same code on the bulk queue, which only `ops import` fills (feeds go to the real-time queue).
  dcmsWorker('coreBankingBulk', 'core-banking-bulk', 'bulk', createCoreBankingHandler),
  dcmsWorker('courier', 'courier-events', 'realtime', createCourierHandler),
  cardControls,
];

import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createCoreBankingHandler } from '../../functions/core-banking-events/app.js';
import { createCourierHandler } from '../../functions/courier-events/app.js';
import type { QueueKey } from '../../shared/config/resources.js';
import type { DcmsCallInfo } from '../../shared/dcms/client.js';
import type { OutcomeObserver } from '../../shared/observability/telemetry.js';
import { createWorkerRuntime, type WorkerRuntime } from '../../shared/worker/runtime.js';
import type { SqsHandler } from '../event-source/sqs-poller.js';
import { localWorkerEnv } from '../worker-env.js';
import type { HostConfiguration } from './host-protocol.js';

export interface WorkerHooks {
  observer: OutcomeObserver;
  onDcmsCall: (call: DcmsCallInfo) => void;
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
const dcmsWorker = (queue: QueueKey, serviceName: string, createHandler: (runtime: WorkerRuntime) => SqsHandler): WorkerDefinition => ({
  queue,
  serviceName,
  build(configuration, hooks) {
    const env = localWorkerEnv({ ...configuration, queue, serviceName, fast: true });
    const runtime = createWorkerRuntime(env, hooks);
    return { handler: createHandler(runtime), dynamo: runtime.dynamo };
  },
});

/**
 * Every queue worker the local stack runs. A new worker (card-controls) is one more entry here;
 * the feed routes its event types to its queue as soon as it is listed.
 */
export const WORKERS: readonly WorkerDefinition[] = [
  dcmsWorker('coreBanking', 'core-banking-events', createCoreBankingHandler),
  dcmsWorker('courier', 'courier-events', createCourierHandler),
];

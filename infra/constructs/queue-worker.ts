import { Duration } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct } from 'constructs';
import type * as z from 'zod';
import type { workerEnv } from '../../shared/config/worker-env.js';
import { IntegrationFunction, type FunctionSettings } from './integration-function.js';
import type { WorkerQueue } from './worker-queue.js';

/** Variables a queue worker reads (shared/config/worker-env.ts): a renamed variable breaks the type-check here. */
export type WorkerVariables = Partial<Record<keyof z.input<typeof workerEnv>, string>>;

export interface QueueWorkerProps {
  /** Folder under functions/ holding handler.ts; also the Powertools service name. */
  service: string;
  settings: FunctionSettings;
  queue: WorkerQueue;
  /** Event-source ceiling on concurrent instances (for DCMS workers: dcmsMaxConcurrency). */
  maxConcurrency: number;
  /** The flow's own variables (tables, configuration names); the queue's are added here. */
  environment: Record<string, string>;
}

/**
 * A Lambda worker fed by its queue: batch size, batching window and timeouts from the queue's
 * description, partial batch responses, and the right to dead-letter into its own DLQ.
 */
export class QueueWorker extends Construct {
  readonly handler: IntegrationFunction;
  readonly queue: WorkerQueue;

  constructor(scope: Construct, id: string, props: QueueWorkerProps) {
    super(scope, id);
    const { queue } = props;
    const { description } = queue;
    this.queue = queue;

    const queueVariables = {
      QUEUE_URL: queue.queue.queueUrl,
      DLQ_URL: queue.deadLetterQueue.queueUrl,
      QUEUE_FIFO: String(description.fifo),
      MAX_RECEIVE_COUNT: String(description.maxReceiveCount),
    } satisfies WorkerVariables;
    this.handler = new IntegrationFunction(this, 'Handler', {
      service: props.service,
      settings: props.settings,
      timeout: queue.functionTimeout,
      environment: { ...props.environment, ...queueVariables },
    });

    // The mapping's grant is the only right on the source queue: receive, delete, change visibility (settle.ts).
    this.handler.function.addEventSource(
      new SqsEventSource(queue.queue, {
        batchSize: description.batchSize,
        // Lambda allows no batching window on FIFO queues; the description leaves it at 0 for them.
        ...(description.batchingWindowSeconds > 0 && { maxBatchingWindow: Duration.seconds(description.batchingWindowSeconds) }),
        reportBatchItemFailures: true,
        maxConcurrency: props.maxConcurrency,
      }),
    );
    // Permanent failures are sent to the DLQ at once, with their reason (shared/messaging/dead-letter.ts).
    this.handler.allow(['sqs:SendMessage'], [queue.deadLetterQueue.queueArn]);
    // SQS with a customer key: a send needs a data key, a receive needs to decrypt it.
    this.handler.allow(['kms:Decrypt', 'kms:GenerateDataKey'], [props.settings.key.keyArn]);
  }
}

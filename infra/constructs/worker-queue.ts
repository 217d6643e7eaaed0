import { Duration, Stack } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { DeduplicationScope, FifoThroughputLimit, Queue, QueueEncryption, RedrivePermission } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { queueName, visibilityTimeoutSeconds, type QueueDescription } from '../../shared/config/resources.js';

/** How long a message may stay in a source queue (SQS's default, set explicitly): DLQ expiry alarms count on it. */
export const SOURCE_RETENTION_DAYS = 4;

export interface WorkerQueueProps {
  /** The queue's entry in shared/config/resources.ts: names, FIFO, redrive and timings all come from it. */
  description: QueueDescription;
  prefix: string;
  key: IKey;
}

/** A worker's queue and its DLQ, exactly as the shared resource description (and so the local stack) has them. */
export class WorkerQueue extends Construct {
  readonly description: QueueDescription;
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: WorkerQueueProps) {
    super(scope, id);
    const { description, prefix, key } = props;
    this.description = description;
    const fifo = description.fifo ? true : undefined;
    const sourceName = queueName(prefix, description);
    const encryption = { encryption: QueueEncryption.KMS, encryptionMasterKey: key, enforceSSL: true };

    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      queueName: queueName(prefix, description, true),
      fifo,
      retentionPeriod: Duration.days(description.dlqRetentionDays),
      // Only our source queue may dead-letter here, and so operators can move messages back to it (redrive).
      // Its ARN is built from its name: referencing the queue itself would make a dependency cycle.
      redriveAllowPolicy: {
        redrivePermission: RedrivePermission.BY_QUEUE,
        sourceQueues: [Queue.fromQueueArn(this, 'SourceQueueRef', Stack.of(this).formatArn({ service: 'sqs', resource: sourceName }))],
      },
      ...encryption,
    });

    this.queue = new Queue(this, 'Queue', {
      queueName: sourceName,
      fifo,
      // High-throughput FIFO: deduplication and throughput limits per message group, not per queue.
      ...(description.fifo && description.highThroughputFifo && { deduplicationScope: DeduplicationScope.MESSAGE_GROUP, fifoThroughputLimit: FifoThroughputLimit.PER_MESSAGE_GROUP_ID }),
      // Six times the function timeout (AWS guidance): a batch still being retried inside one invocation never reappears.
      visibilityTimeout: Duration.seconds(visibilityTimeoutSeconds(description)),
      retentionPeriod: Duration.days(SOURCE_RETENTION_DAYS),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: description.maxReceiveCount },
      ...encryption,
    });
  }

  /** The consumer's function timeout, from the description (the queue's visibility timeout is derived from it). */
  get functionTimeout(): Duration {
    return Duration.seconds(this.description.functionTimeoutSeconds);
  }
}

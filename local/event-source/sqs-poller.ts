import { DeleteMessageBatchCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { localLambdaContext } from './lambda-context.js';

export type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | void>;

export interface PollerOptions {
  sqs: SQSClient;
  queueUrl: string;
  queueArn: string;
  handler: SqsHandler;
  functionName: string;
  functionTimeoutSeconds: number;
  /** Records per invocation (Lambda: up to 10 for FIFO, up to 10,000 for standard with a window). */
  batchSize: number;
  /** How long to gather records before invoking with a partial batch (0: invoke on the first receive). */
  batchingWindowSeconds: number;
  /** Long-poll wait per receive, as the Lambda pollers do (20 s max). */
  waitTimeSeconds?: number;
  /** Invoked after each invocation, for progress and accounting. */
  onInvocation?: (info: { records: number; failed: number; error?: unknown }) => void;
}

/** SQS allows at most 10 messages per receive and per delete batch. */
const SQS_MAX_BATCH = 10;

/**
 * Drives a handler the way the Lambda SQS event source does: long-polls, gathers up to
 * `batchSize` records within the batching window, invokes with the Lambda record shape,
 * deletes what succeeded and leaves `batchItemFailures` (or the whole batch, if the
 * invocation throws) to reappear after their visibility timeout, counting towards the
 * queue's redrive policy. FIFO ordering comes from the queue: SQS does not hand out a
 * group's next message while one of it is in flight.
 */
export class SqsPoller {
  private running = false;
  private loop: Promise<void> | undefined;
  private inFlight = 0;

  constructor(private readonly options: PollerOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /**
   * Lets the current long poll (at most `waitTimeSeconds`) and invocation finish. Aborting the poll
   * instead would leave the server holding it: messages it hands to the dead connection come back
   * only after their visibility timeout, with a receive count that was never processed.
   */
  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  /** Records received and not yet settled (an invocation is under way). */
  get busy(): boolean {
    return this.inFlight > 0;
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        const messages = await this.gather();
        if (messages.length > 0) await this.invoke(messages);
      } catch (error) {
        if (!this.running) return;
        this.options.onInvocation?.({ records: 0, failed: 0, error });
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  }

  /** Waits for a first message, then gathers more until the batch is full or the window closes. */
  private async gather(): Promise<Message[]> {
    const { batchSize, batchingWindowSeconds, waitTimeSeconds = 1 } = this.options;
    const messages: Message[] = [];
    let windowEnds = Number.POSITIVE_INFINITY;
    while (this.running && messages.length < batchSize) {
      const remainingWindowMs = windowEnds - Date.now();
      if (remainingWindowMs <= 0) break;
      const received = await this.options.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: this.options.queueUrl,
          MaxNumberOfMessages: Math.min(SQS_MAX_BATCH, batchSize - messages.length),
          WaitTimeSeconds: messages.length === 0 ? waitTimeSeconds : Math.min(waitTimeSeconds, Math.floor(remainingWindowMs / 1_000)),
          MessageSystemAttributeNames: ['All'],
          MessageAttributeNames: ['All'],
        }),
      );
      const batch = received.Messages ?? [];
      if (messages.length === 0) {
        if (batch.length === 0) return messages;
        windowEnds = Date.now() + batchingWindowSeconds * 1_000;
      }
      messages.push(...batch);
    }
    this.inFlight += messages.length;
    return messages;
  }

  private async invoke(messages: Message[]): Promise<void> {
    const records = messages.map((m) => toRecord(m, this.options.queueArn));
    let failedIds: Set<string>;
    let error: unknown;
    try {
      const context = localLambdaContext(this.options.functionName, this.options.functionTimeoutSeconds);
      const response = await this.options.handler({ Records: records }, context);
      failedIds = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    } catch (thrown) {
      // A thrown invocation fails the whole batch: every record comes back after its visibility timeout.
      error = thrown;
      failedIds = new Set(records.map((r) => r.messageId));
    }
    const succeeded = messages.filter((m) => !failedIds.has(m.MessageId!));
    try {
      for (let i = 0; i < succeeded.length; i += SQS_MAX_BATCH) {
        const answer = await this.options.sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: this.options.queueUrl,
            Entries: succeeded.slice(i, i + SQS_MAX_BATCH).map((m, index) => ({ Id: String(index), ReceiptHandle: m.ReceiptHandle! })),
          }),
        );
        // Lambda's poller does the same: an undeleted record simply comes back, and idempotency absorbs it.
        if (answer.Failed?.length) error ??= new Error(`${answer.Failed.length} processed record(s) not deleted; they will be delivered again`);
      }
    } finally {
      this.inFlight -= messages.length;
    }
    this.options.onInvocation?.({ records: records.length, failed: failedIds.size, error });
  }
}

/** The record shape Lambda hands to an SQS-triggered function. */
export function toRecord(message: Message, queueArn: string): SQSRecord {
  const system = message.Attributes ?? {};
  return {
    messageId: message.MessageId!,
    receiptHandle: message.ReceiptHandle!,
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: system.ApproximateReceiveCount ?? '1',
      SentTimestamp: system.SentTimestamp ?? String(Date.now()),
      SenderId: system.SenderId ?? 'local',
      ApproximateFirstReceiveTimestamp: system.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
      ...(system.MessageGroupId && { MessageGroupId: system.MessageGroupId }),
      ...(system.MessageDeduplicationId && { MessageDeduplicationId: system.MessageDeduplicationId }),
      ...(system.SequenceNumber && { SequenceNumber: system.SequenceNumber }),
      // The trace the producer sent the message in, as Lambda hands it on.
      ...(system.AWSTraceHeader && { AWSTraceHeader: system.AWSTraceHeader }),
    },
    messageAttributes: Object.fromEntries(
      Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [
        name,
        { dataType: value.DataType ?? 'String', stringValue: value.StringValue, stringListValues: [], binaryListValues: [] },
      ]),
    ),
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: queueArn.split(':')[3] ?? 'us-east-1',
  };
}

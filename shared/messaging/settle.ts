import { ChangeMessageVisibilityCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { FailureCategory, IntegrationError, toIntegrationError } from '../resilience/errors.js';
import { DLQ_ATTRIBUTES, type DeadLetterPublisher } from './dead-letter.js';

export type Settlement = { kind: 'deadLettered'; failure: IntegrationError } | { kind: 'retryLater'; failure: IntegrationError };

export interface SettleOptions {
  sqs: SQSClient;
  queueUrl: string;
  deadLetters: DeadLetterPublisher;
  /** The queue's redrive maxReceiveCount: on the last receive we dead-letter ourselves, with the reason. */
  maxReceiveCount: number;
  /** Visibility before the 2nd receive; doubles per receive (growing backoff across SQS redeliveries). */
  visibilityBaseSeconds: number;
  visibilityMaxSeconds: number;
}

export const receiveCountOf = (record: SQSRecord): number => Number(record.attributes.ApproximateReceiveCount) || 1;

/**
 * Whether an earlier delivery of this record may already have reached the platform: SQS delivered
 * it before, or it was redriven from a DLQ (its receive count starts again at 1 there, but the
 * failure attributes travel with it, whether SQS's move task or the operator CLI sent it back).
 */
export const mayHaveBeenSent = (record: SQSRecord): boolean =>
  receiveCountOf(record) > 1 || DLQ_ATTRIBUTES.category in (record.messageAttributes ?? {}) || DLQ_ATTRIBUTES.redriveCount in (record.messageAttributes ?? {});

/**
 * The one place that decides what happens to a record that failed (DESIGN §3):
 * - InvalidEvent / Permanent → dead-letter now, with the reason;
 * - anything else on its last allowed receive → dead-letter as Exhausted, keeping the last category;
 * - otherwise → back to SQS (batch item failure) with a visibility timeout that grows per receive.
 */
export class FailureSettler {
  constructor(private readonly options: SettleOptions) {}

  async settle(record: SQSRecord, error: unknown): Promise<Settlement> {
    const failure = toIntegrationError(error);
    const receiveCount = receiveCountOf(record);
    if (failure.deadLetterNow) {
      await this.options.deadLetters.publish(record, failure, receiveCount);
      return { kind: 'deadLettered', failure };
    }
    if (receiveCount >= this.options.maxReceiveCount) {
      const exhausted = new IntegrationError({
        category: FailureCategory.Exhausted,
        code: failure.code,
        message: `gave up after ${receiveCount} receives: ${failure.message}`,
      });
      await this.options.deadLetters.publish(record, exhausted, receiveCount, failure.category);
      return { kind: 'deadLettered', failure: exhausted };
    }
    await this.delayRedelivery(record, receiveCount, failure);
    return { kind: 'retryLater', failure };
  }

  /** Best effort: if this fails, SQS still redelivers after the queue's own visibility timeout. */
  private async delayRedelivery(record: SQSRecord, receiveCount: number, failure: IntegrationError): Promise<void> {
    const { visibilityBaseSeconds, visibilityMaxSeconds } = this.options;
    const grown = Math.min(visibilityMaxSeconds, visibilityBaseSeconds * 2 ** (receiveCount - 1));
    const seconds = Math.max(grown, Math.min(visibilityMaxSeconds, failure.retryAfterSeconds ?? 0));
    await this.options.sqs
      .send(new ChangeMessageVisibilityCommand({ QueueUrl: this.options.queueUrl, ReceiptHandle: record.receiptHandle, VisibilityTimeout: seconds }))
      .catch(() => undefined);
  }
}

import { ChangeMessageVisibilityCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import type { RetryPolicy } from '../config/resources.js';
import { FailureCategory, IntegrationError, toIntegrationError } from '../resilience/errors.js';
import { DLQ_ATTRIBUTES, type DeadLetterPublisher } from './dead-letter.js';
import type { RetryClock } from './retry-clock.js';

export type Settlement =
  | { kind: 'deadLettered'; failure: IntegrationError }
  | {
      kind: 'retryLater';
      failure: IntegrationError;
      /** When the record is due again. */
      delaySeconds: number;
      /** Epoch ms of its first failure: the start of its retry budget. */
      firstFailedAt: number;
    };

export interface SettleOptions {
  sqs: SQSClient;
  queueUrl: string;
  deadLetters: DeadLetterPublisher;
  clock: RetryClock;
  policy: RetryPolicy;
  /** The queue's redrive maxReceiveCount (the poison-message safety net): on that receive we dead-letter ourselves, with the reason. */
  maxReceiveCount: number;
  now?: () => number;
}

/** SQS caps a visibility timeout at 12 hours. */
const MAX_VISIBILITY_SECONDS = 43_200;

export const receiveCountOf = (record: SQSRecord): number => Number(record.attributes.ApproximateReceiveCount) || 1;

/**
 * Whether an earlier delivery of this record may already have reached the platform: SQS delivered
 * it before, or it was redriven from a DLQ (its receive count starts again at 1 there, but the
 * failure attributes travel with it, whether SQS's move task or the operator CLI sent it back).
 */
export const mayHaveBeenSent = (record: SQSRecord): boolean =>
  receiveCountOf(record) > 1 || DLQ_ATTRIBUTES.category in (record.messageAttributes ?? {}) || DLQ_ATTRIBUTES.redriveCount in (record.messageAttributes ?? {});

/**
 * How long a record waits before its next receive: the failure's own schedule when it has one (an
 * open circuit's next trial, the end of a settle window), else a delay doubling per receive up to
 * the cap, never shorter than a Retry-After the platform asked for.
 */
export function redeliveryDelaySeconds(receiveCount: number, failure: IntegrationError, policy: RetryPolicy): number {
  const seconds =
    failure.dueInSeconds ??
    Math.max(Math.min(policy.backoffCapSeconds, policy.backoffBaseSeconds * 2 ** (receiveCount - 1)), failure.retryAfterSeconds ?? 0);
  return Math.min(MAX_VISIBILITY_SECONDS, Math.max(1, Math.ceil(seconds)));
}

const exhausted = (failure: IntegrationError, message: string): IntegrationError =>
  new IntegrationError({ category: FailureCategory.Exhausted, code: failure.code, message: `${message}: ${failure.message}` });

/**
 * The one place that decides what happens to a record that failed (docs: README "How failures are handled"):
 * - InvalidEvent / Permanent → dead-letter now, with the reason;
 * - anything else → back to SQS after a delay, for as long as the record's retry budget lasts
 *   (counted from its first failure, not in receives), then dead-letter as Exhausted with the last
 *   category; the queue's last allowed receive also dead-letters, so SQS never moves a record
 *   without its reason.
 */
export class FailureSettler {
  private readonly now: () => number;

  constructor(private readonly options: SettleOptions) {
    this.now = options.now ?? Date.now;
  }

  async settle(record: SQSRecord, error: unknown): Promise<Settlement> {
    const failure = toIntegrationError(error);
    const receiveCount = receiveCountOf(record);
    if (failure.deadLetterNow) return this.deadLetter(record, failure, receiveCount);
    if (receiveCount >= this.options.maxReceiveCount) {
      return this.deadLetter(record, exhausted(failure, `gave up after ${receiveCount} receives (the queue's safety net)`), receiveCount, failure.category);
    }
    const firstFailedAt = await this.options.clock.firstFailureAt(record, this.now());
    const waitedSeconds = (this.now() - firstFailedAt) / 1_000;
    if (waitedSeconds >= this.options.policy.budgetSeconds) {
      const message = `gave up after ${Math.round(waitedSeconds)} s of failures (retry budget ${this.options.policy.budgetSeconds} s, ${receiveCount} receives)`;
      return this.deadLetter(record, exhausted(failure, message), receiveCount, failure.category);
    }
    const delaySeconds = redeliveryDelaySeconds(receiveCount, failure, this.options.policy);
    await this.delay(record, delaySeconds);
    return { kind: 'retryLater', failure, delaySeconds, firstFailedAt };
  }

  /** Best effort: if this fails, SQS still redelivers after the queue's own visibility timeout. */
  async delay(record: SQSRecord, seconds: number): Promise<void> {
    await this.options.sqs
      .send(new ChangeMessageVisibilityCommand({ QueueUrl: this.options.queueUrl, ReceiptHandle: record.receiptHandle, VisibilityTimeout: seconds }))
      .catch(() => undefined);
  }

  private async deadLetter(record: SQSRecord, failure: IntegrationError, receiveCount: number, lastCategory?: string): Promise<Settlement> {
    await this.options.deadLetters.publish(record, failure, receiveCount, lastCategory);
    return { kind: 'deadLettered', failure };
  }
}

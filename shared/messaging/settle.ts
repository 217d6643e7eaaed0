import { ChangeMessageVisibilityCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import type { RetryPolicy } from '../config/resources.js';
import { nextRetry, type RetryHistory } from '../protocol/retry/schedule.js';
import { FailureCategory, IntegrationError, toIntegrationError } from '../resilience/errors.js';
import { DLQ_ATTRIBUTES, type DeadLetterPublisher } from './dead-letter.js';
import { carriedHistoryOf } from './requeue.js';
import type { RetryHistoryStore } from './retry-history.js';

export type Settlement =
  | { kind: 'deadLettered'; failure: IntegrationError }
  | {
      kind: 'retryLater';
      failure: IntegrationError;
      /** When the record is due again. */
      delaySeconds: number;
      /** The record's retry history, this failure counted. */
      history: RetryHistory;
    };

export interface SettleOptions {
  sqs: SQSClient;
  queueUrl: string;
  deadLetters: DeadLetterPublisher;
  history: RetryHistoryStore;
  policy: RetryPolicy;
  /** The queue's redrive maxReceiveCount: on that receive of a copy we dead-letter it ourselves, so SQS never moves a record without its reason. */
  maxReceiveCount: number;
  now?: () => number;
}

export const receiveCountOf = (record: SQSRecord): number => Number(record.attributes.ApproximateReceiveCount) || 1;

/** How often an operator sent the record back from its DLQ. */
export const redrivesOf = (record: SQSRecord): number => Number(record.messageAttributes?.[DLQ_ATTRIBUTES.redriveCount]?.stringValue) || 0;

/**
 * Whether an earlier delivery of this record may already have reached the platform: SQS delivered
 * it before, or it was redriven from a DLQ (its receive count starts again at 1 there, but the
 * failure attributes travel with it, whether SQS's move task or the operator CLI sent it back).
 */
export const mayHaveBeenSent = (record: SQSRecord): boolean =>
  receiveCountOf(record) > 1 || DLQ_ATTRIBUTES.category in (record.messageAttributes ?? {}) || DLQ_ATTRIBUTES.redriveCount in (record.messageAttributes ?? {});

const exhausted = (failure: IntegrationError, reason: string): IntegrationError =>
  new IntegrationError({ category: FailureCategory.Exhausted, code: failure.code, message: `${reason}: ${failure.message}` });

/**
 * The one place that performs what the retry schedule (shared/protocol/retry/schedule.ts) decides
 * for a record that failed: dead-lettered now with its reason (InvalidEvent, Permanent), given up on
 * as Exhausted with its last category once its budget or the safety net is spent, or handed back
 * to SQS until it is due. The attempt is counted in the record's own history first.
 */
export class FailureSettler {
  private readonly now: () => number;

  constructor(private readonly options: SettleOptions) {
    this.now = options.now ?? Date.now;
  }

  get policy(): RetryPolicy {
    return this.options.policy;
  }

  /** `recordKey`: the record's identity across copies (its event id, else its original message id). */
  async settle(record: SQSRecord, error: unknown, recordKey: string): Promise<Settlement> {
    const failure = toIntegrationError(error);
    if (failure.deadLetterNow) return this.deadLetter(record, failure, receiveCountOf(record));
    const now = this.now();
    const history = await this.options.history.recordFailure(recordKey, redrivesOf(record), now, carriedHistoryOf(record));
    const decision = nextRetry(history, failure, this.options.policy, now);
    const receives = receiveCountOf(record);
    if (decision.kind === 'retry' && receives >= this.options.maxReceiveCount) {
      return this.deadLetter(record, exhausted(failure, `gave up on the queue's last allowed receive (${receives})`), history.attempts, failure.category);
    }
    if (decision.kind !== 'retry') {
      const reason = decision.kind === 'exhausted' ? decision.reason : 'gave up';
      return this.deadLetter(record, exhausted(failure, reason), history.attempts, failure.category);
    }
    await this.delay(record, decision.delaySeconds);
    return { kind: 'retryLater', failure, delaySeconds: decision.delaySeconds, history };
  }

  /** Best effort: if this fails, SQS still redelivers after the queue's own visibility timeout. */
  async delay(record: SQSRecord, seconds: number): Promise<void> {
    await this.options.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: this.options.queueUrl, ReceiptHandle: record.receiptHandle, VisibilityTimeout: seconds })).catch(() => undefined);
  }

  private async deadLetter(record: SQSRecord, failure: IntegrationError, attempts: number, lastCategory?: string): Promise<Settlement> {
    await this.options.deadLetters.publish(record, failure, attempts, lastCategory);
    return { kind: 'deadLettered', failure };
  }
}

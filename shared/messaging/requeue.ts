import { randomUUID } from 'node:crypto';
import { SendMessageCommand, type MessageAttributeValue, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import type { RetryHistory } from '../protocol/retry/schedule.js';
import { DLQ_ATTRIBUTES } from './dead-letter.js';
import type { CarriedHistory } from './retry-history.js';

/** Message attributes of a record moved to the back of its FIFO group. */
export const REQUEUE_ATTRIBUTES = {
  /** Epoch ms before which the copy is not attempted: FIFO queues take no per-message delay, so the copy says when it is due. */
  dueAt: 'retry.dueAt',
  /** The record's retry history so far: what the copy falls back on when the history store cannot answer. */
  attempts: 'retry.attempts',
  firstFailedAt: 'retry.firstFailedAt',
} as const;

const numberAttribute = (record: SQSRecord, name: string): number | undefined => {
  const value = Number(record.messageAttributes?.[name]?.stringValue);
  return Number.isFinite(value) && record.messageAttributes?.[name]?.stringValue !== undefined ? value : undefined;
};

/** Epoch ms before which a moved copy is not due; undefined for a record that was never moved. */
export const dueAtOf = (record: SQSRecord): number | undefined => numberAttribute(record, REQUEUE_ATTRIBUTES.dueAt);

/** What this SQS copy knows of its record's retry history. */
export const carriedHistoryOf = (record: SQSRecord): CarriedHistory => ({
  messageId: record.messageId,
  attempts: numberAttribute(record, REQUEUE_ATTRIBUTES.attempts),
  firstFailedAt: numberAttribute(record, REQUEUE_ATTRIBUTES.firstFailedAt),
  sentAt: Number(record.attributes.SentTimestamp) || Date.now(),
  receiveCount: Number(record.attributes.ApproximateReceiveCount) || 1,
});

/** SQS takes at most 10 message attributes; these are the ones a copy must keep, in order of need. */
const KEPT = [DLQ_ATTRIBUTES.originalMessageId, DLQ_ATTRIBUTES.category, DLQ_ATTRIBUTES.code, DLQ_ATTRIBUTES.redriveCount, DLQ_ATTRIBUTES.attempts, DLQ_ATTRIBUTES.time];

/** The message id the producer's message had, through redrives and moves to the back of its group. */
export const originalMessageIdOf = (record: SQSRecord): string => record.messageAttributes?.[DLQ_ATTRIBUTES.originalMessageId]?.stringValue ?? record.messageId;

const number = (value: number): MessageAttributeValue => ({ DataType: 'Number', StringValue: String(value) });

/**
 * Moves a FIFO record to the back of its message group: a copy is sent (same body, same group, its
 * identity, retry history and due time as attributes), and the caller then acknowledges the
 * original. Used for a record that waits on something a later record of its own group brings (an
 * account whose customer is behind it), and for a copy that came back before it was due while
 * others of its group wait behind it: holding the group would keep them from ever arriving.
 */
export class GroupRequeuer {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async toBackOfGroup(record: SQSRecord, due: { dueAt: number; history?: RetryHistory | undefined }): Promise<void> {
    const attributes: Record<string, MessageAttributeValue> = {};
    for (const name of [...KEPT, REQUEUE_ATTRIBUTES.attempts, REQUEUE_ATTRIBUTES.firstFailedAt]) {
      const value = record.messageAttributes?.[name];
      if (value?.stringValue !== undefined) attributes[name] = { DataType: value.dataType, StringValue: value.stringValue };
    }
    attributes[DLQ_ATTRIBUTES.originalMessageId] = { DataType: 'String', StringValue: originalMessageIdOf(record) };
    attributes[REQUEUE_ATTRIBUTES.dueAt] = number(due.dueAt);
    if (due.history) {
      attributes[REQUEUE_ATTRIBUTES.attempts] = number(due.history.attempts);
      attributes[REQUEUE_ATTRIBUTES.firstFailedAt] = number(due.history.firstFailedAt);
    }
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: record.body,
        MessageAttributes: attributes,
        MessageGroupId: record.attributes.MessageGroupId,
        MessageDeduplicationId: randomUUID(),
      }),
    );
  }
}

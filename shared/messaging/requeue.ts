import { randomUUID } from 'node:crypto';
import { SendMessageCommand, type MessageAttributeValue, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { DLQ_ATTRIBUTES } from './dead-letter.js';

/** Message attributes of a record moved to the back of its FIFO group. */
export const REQUEUE_ATTRIBUTES = {
  /** When the record first failed: its retry budget goes on from there, not from the copy's send. */
  firstFailedAt: 'retry.firstFailedAt',
  /** When it was last moved to the back: a record alone in its group is not moved again at once, it waits out its delay. */
  movedAt: 'retry.movedAt',
} as const;

/** Epoch ms of the record's last move to the back of its group, if it was moved. */
export const lastMovedAt = (record: SQSRecord): number | undefined => {
  const value = Number(record.messageAttributes?.[REQUEUE_ATTRIBUTES.movedAt]?.stringValue);
  return Number.isFinite(value) ? value : undefined;
};

/** SQS takes at most 10 message attributes; these are the ones a copy must keep, in order of need. */
const KEPT = [DLQ_ATTRIBUTES.originalMessageId, DLQ_ATTRIBUTES.category, DLQ_ATTRIBUTES.code, DLQ_ATTRIBUTES.redriveCount, DLQ_ATTRIBUTES.attempts, DLQ_ATTRIBUTES.time];

/** The message id the producer's message had, through redrives and moves to the back of its group. */
export const originalMessageIdOf = (record: SQSRecord): string => record.messageAttributes?.[DLQ_ATTRIBUTES.originalMessageId]?.stringValue ?? record.messageId;

/**
 * Moves a FIFO record to the back of its message group: a copy is sent (same body, same group, its
 * identity and retry history as attributes), and the caller then acknowledges the original. Used for
 * a record that waits on something a later record of its own group brings (an account whose customer
 * is behind it): holding the group would keep that customer from ever arriving.
 */
export class GroupRequeuer {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async toBackOfGroup(record: SQSRecord, firstFailedAt: number): Promise<void> {
    const attributes: Record<string, MessageAttributeValue> = {};
    for (const name of KEPT) {
      const value = record.messageAttributes?.[name];
      if (value?.stringValue !== undefined) attributes[name] = { DataType: value.dataType, StringValue: value.stringValue };
    }
    attributes[DLQ_ATTRIBUTES.originalMessageId] = { DataType: 'String', StringValue: originalMessageIdOf(record) };
    attributes[REQUEUE_ATTRIBUTES.firstFailedAt] = { DataType: 'Number', StringValue: String(firstFailedAt) };
    attributes[REQUEUE_ATTRIBUTES.movedAt] = { DataType: 'Number', StringValue: String(Date.now()) };
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

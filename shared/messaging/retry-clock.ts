import { UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SQSRecord } from 'aws-lambda';
import { REQUEUE_ATTRIBUTES } from './requeue.js';

/**
 * When a record first failed for a reason a retry can fix: the start of its retry budget. Kept in
 * DynamoDB (the idempotency table: its key is `id` and its TTL attribute `expiration`, and these
 * ids cannot meet a Powertools hash) because SQS keeps nothing per record but a receive count, and
 * receive counts are not time: a record held back behind the failed head of its FIFO group is
 * received again without having failed itself, and such receives must not use up its budget.
 * A redriven record is a new message with a new id, so an operator's redrive starts a new budget.
 */
export class RetryClock {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    /** How long a clock outlives its budget before DynamoDB's TTL removes it. */
    private readonly keepSeconds: number,
  ) {}

  /**
   * Epoch ms of the record's first failure (now, for a first failure; carried by a record moved to
   * the back of its group). Falls back to when SQS received the message.
   */
  async firstFailureAt(record: SQSRecord, now = Date.now()): Promise<number> {
    const carried = Number(record.messageAttributes?.[REQUEUE_ATTRIBUTES.firstFailedAt]?.stringValue);
    const first = Number.isFinite(carried) ? Math.min(carried, now) : now;
    try {
      const answer = await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: { id: { S: `retry-clock#${record.messageId}` } },
          UpdateExpression: 'SET firstFailedAt = if_not_exists(firstFailedAt, :now), expiration = :expiration',
          ExpressionAttributeValues: { ':now': { N: String(first) }, ':expiration': { N: String(Math.floor(now / 1_000) + this.keepSeconds) } },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      const stored = Number(answer.Attributes?.firstFailedAt?.N);
      return Number.isFinite(stored) ? stored : first;
    } catch {
      // Without the store the budget runs from the send: never longer than intended, only shorter.
      return Math.min(first, Number(record.attributes.SentTimestamp) || now);
    }
  }
}

import { UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { RetryHistory } from '../protocol/retry/schedule.js';

/** What the SQS copy at hand says of the record's history: the fallback when the store cannot answer. */
export interface CarriedHistory {
  /** The SQS message at hand: one copy of the record. */
  messageId: string;
  attempts?: number | undefined;
  firstFailedAt?: number | undefined;
  /** When SQS first received this copy. */
  sentAt: number;
  receiveCount: number;
}

/**
 * Each record's retry history, kept under the record's own identity (its event id, or the
 * producer's message id when it never parsed), not under the SQS message that carries it: a copy
 * moved to the back of its FIFO group, a redelivery and an operator's redrive all continue one
 * history, so the backoff keeps growing and the attempts stay bounded. One UpdateItem per failure,
 * none on the happy path. Items live in the idempotency table (key `id`, TTL `expiration`), whose
 * `retry#` ids cannot meet a Powertools hash.
 */
export class RetryHistoryStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    /** How long a history outlives the longest budget before DynamoDB's TTL removes it. */
    private readonly keepSeconds: number,
  ) {}

  /**
   * Counts one more failed attempt of the record. `redrives` is how often an operator sent it back
   * from its DLQ: each redrive opens a new budget (a person decided to try again) while the attempt
   * count, and with it the backoff, goes on.
   */
  async recordFailure(recordKey: string, redrives: number, now: number, carried: CarriedHistory): Promise<RetryHistory> {
    try {
      const answer = await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: { id: { S: `retry#${recordKey}` } },
          UpdateExpression: 'ADD attempts :one SET firstFailedAt = if_not_exists(firstFailedAt, :first), #budget = if_not_exists(#budget, :now), expiration = :expiration',
          ExpressionAttributeNames: { '#budget': `budgetFrom${redrives}` },
          ExpressionAttributeValues: {
            ':one': { N: '1' },
            ':first': { N: String(Math.min(carried.firstFailedAt ?? now, now)) },
            ':now': { N: String(redrives === 0 ? Math.min(carried.firstFailedAt ?? now, now) : now) },
            ':expiration': { N: String(Math.floor(now / 1_000) + this.keepSeconds) },
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      const item = answer.Attributes ?? {};
      return { attempts: Number(item.attempts?.N), firstFailedAt: Number(item.firstFailedAt?.N), budgetFrom: Number(item[`budgetFrom${redrives}`]?.N) };
    } catch {
      // Without the store, what the copy carries: the budget never runs longer than intended, only shorter.
      const firstFailedAt = Math.min(carried.firstFailedAt ?? carried.sentAt, carried.sentAt, now);
      return { attempts: Math.max((carried.attempts ?? 0) + 1, carried.receiveCount), firstFailedAt, budgetFrom: firstFailedAt };
    }
  }
}

import { ConditionalCheckFailedException, DeleteItemCommand, GetItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { MarkerPort } from '../protocol/write-once/run.js';

/**
 * Write-ahead markers for writes that must never happen twice (DCMS `/register`, `/registerCard`),
 * the write-once protocol's marker port (shared/protocol/write-once): the latest instant a send of
 * a business key may leave is stored *before* the request may leave. A marker means a send may have
 * reached the platform and may yet commit (a slow commit, a dropped answer, a worker that died
 * mid-call), whichever delivery and whichever instance finds it, and it is kept: only a refusal,
 * after which nothing can commit, removes it. It has no TTL: a first card for a covered customer
 * is sent without reading DCMS when no marker says otherwise (customer-ledger.ts), so a marker must
 * last as long as a record or a re-sent event of its business key can come back. Writes and removals are conditional on the value the delivery read or wrote,
 * so the marker is also the lock that keeps two deliveries from both sending.
 * Items: `SEND#<business key>` / `PENDING` in the state table.
 */
export class PendingSends implements MarkerPort {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  private key(businessKey: string) {
    return { pk: { S: `SEND#${businessKey}` }, sk: { S: 'PENDING' } };
  }

  /** Epoch ms until which the last send whose outcome is still unknown may have left; undefined when there is none. */
  async lastSentAt(businessKey: string): Promise<number | undefined> {
    const answer = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: this.key(businessKey), ConsistentRead: true }));
    const sentAt = Number(answer.Item?.sentAt?.N);
    return Number.isFinite(sentAt) ? sentAt : undefined;
  }

  async markSending(businessKey: string, sentAt: number, expected: number | undefined): Promise<boolean> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: { ...this.key(businessKey), sentAt: { N: String(sentAt) } },
          ...(expected === undefined
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : { ConditionExpression: 'sentAt = :expected', ExpressionAttributeValues: { ':expected': { N: String(expected) } } }),
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async clear(businessKey: string, sentAt: number): Promise<void> {
    await this.client
      .send(new DeleteItemCommand({ TableName: this.tableName, Key: this.key(businessKey), ConditionExpression: 'sentAt = :mine', ExpressionAttributeValues: { ':mine': { N: String(sentAt) } } }))
      .catch(() => undefined);
  }
}

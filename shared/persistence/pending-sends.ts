import { DeleteItemCommand, GetItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** A marker outlives any settle window and any retry budget many times over; TTL removes it after that. */
const MARKER_TTL_SECONDS = 7 * 86_400;

/**
 * Write-ahead markers for writes that must never happen twice (DCMS `/register`, `/registerCard`):
 * the time of the last send of a business key is stored *before* the request leaves, and removed
 * once its outcome is known. A marker still there means a send may have reached the platform and
 * may yet commit (a slow commit, a dropped answer, a worker that died mid-call), whichever delivery
 * and whichever instance finds it. Items: `SEND#<business key>` / `PENDING` in the state table.
 */
export class PendingSends {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  private key(businessKey: string) {
    return { pk: { S: `SEND#${businessKey}` }, sk: { S: 'PENDING' } };
  }

  /** Epoch ms of the last send whose outcome is still unknown; undefined when there is none. */
  async lastSentAt(businessKey: string): Promise<number | undefined> {
    const answer = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: this.key(businessKey), ConsistentRead: true }));
    const sentAt = Number(answer.Item?.sentAt?.N);
    return Number.isFinite(sentAt) ? sentAt : undefined;
  }

  async markSending(businessKey: string, sentAt: number): Promise<void> {
    await this.client.send(
      new PutItemCommand({
        TableName: this.tableName,
        Item: { ...this.key(businessKey), sentAt: { N: String(sentAt) }, expiresAt: { N: String(Math.floor(sentAt / 1_000) + MARKER_TTL_SECONDS) } },
      }),
    );
  }

  /** Best effort: a marker left behind only costs the next delivery of that key one more read. */
  async clear(businessKey: string): Promise<void> {
    await this.client.send(new DeleteItemCommand({ TableName: this.tableName, Key: this.key(businessKey) })).catch(() => undefined);
  }
}

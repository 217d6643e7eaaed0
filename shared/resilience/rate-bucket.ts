import { ConditionalCheckFailedException, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';

/**
 * A tenant's shared DCMS bucket, one item in the integration-state table (`RATE#<tenant>` /
 * `BUCKET`), kept as GCRA (virtual scheduling): `tat` is the time at which the bucket would be full
 * again; taking n tokens adds n/rate to it. `since` names the busy period (tat ≥ now without a
 * break) a lease was granted in: only within that period can unspent tokens be handed back.
 */

export const rateBucketPk = (tenant: string): string => `RATE#${tenant}`;

const BUCKET_SK = 'BUCKET';
/** An idle tenant's bucket item disappears after a day (TTL); a missing item is a full bucket. */
const ITEM_TTL_SECONDS = 86_400;

/** A granted lease: the bucket's new `tat` and the busy period it belongs to (absent on items older than `since`). */
export interface BucketGrant {
  tat: number;
  since?: number;
}

/** A refused update: the bucket's `tat` as it stood, when the item had one. */
export class BucketRefusal extends Error {
  constructor(readonly tat: number | undefined) {
    super('rate bucket refused the update');
    this.name = 'BucketRefusal';
  }
}

export class RateBucket {
  constructor(
    private readonly dynamo: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  /** Busy bucket (tat ≥ now): add the lease to tat if it stays within the lane's horizon. */
  async extend(tenant: string, now: number, increment: number, horizon: number): Promise<BucketGrant> {
    const answer = await this.update(tenant, now, {
      UpdateExpression: 'SET tat = tat + :increment, expiresAt = :ttl',
      ConditionExpression: 'tat BETWEEN :now AND :latest',
      ExpressionAttributeValues: { ':increment': { N: String(increment) }, ':now': { N: String(now) }, ':latest': { N: String(now + horizon - increment) } },
      ReturnValues: 'ALL_NEW',
    });
    const since = answer?.since?.N;
    return { tat: Number(answer?.tat?.N), ...(since !== undefined && { since: Number(since) }) };
  }

  /** Idle bucket (tat < now, or no item: full): the lease starts a new busy period at now. */
  async restart(tenant: string, now: number, increment: number): Promise<BucketGrant> {
    await this.update(tenant, now, {
      UpdateExpression: 'SET tat = :tat, since = :now, expiresAt = :ttl',
      ConditionExpression: 'attribute_not_exists(tat) OR tat < :now',
      ExpressionAttributeValues: { ':tat': { N: String(now + increment) }, ':now': { N: String(now) } },
    });
    return { tat: now + increment, since: now };
  }

  /**
   * Hands unspent tokens back: `tat` goes down by their increment, as if they had never been leased.
   * Only in the busy period they were leased in, and only while the bucket stays busy after it: a
   * bucket that went idle meanwhile has been full again, and tokens added to it then could exceed
   * the burst. Returns false when the bucket no longer takes them (they are simply lost, which errs
   * on the safe side).
   */
  async giveBack(tenant: string, now: number, decrement: number, since: number): Promise<boolean> {
    try {
      await this.update(tenant, now, {
        UpdateExpression: 'SET tat = tat - :decrement, expiresAt = :ttl',
        ConditionExpression: 'since = :since AND tat >= :floor',
        ExpressionAttributeValues: { ':decrement': { N: String(decrement) }, ':since': { N: String(since) }, ':floor': { N: String(now + decrement) } },
      });
      return true;
    } catch (error) {
      if (error instanceof BucketRefusal) return false;
      throw error;
    }
  }

  private async update(tenant: string, now: number, expression: Pick<UpdateItemCommand['input'], 'UpdateExpression' | 'ConditionExpression' | 'ExpressionAttributeValues' | 'ReturnValues'>) {
    try {
      const answer = await this.dynamo.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: { pk: { S: rateBucketPk(tenant) }, sk: { S: BUCKET_SK } },
          ...expression,
          ExpressionAttributeValues: { ...expression.ExpressionAttributeValues, ':ttl': { N: String(Math.ceil(now / 1_000) + ITEM_TTL_SECONDS) } },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return answer.Attributes;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const seen = Number(error.Item?.tat?.N ?? Number.NaN);
      throw new BucketRefusal(Number.isFinite(seen) ? seen : undefined);
    }
  }
}

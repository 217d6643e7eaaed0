import { BatchGetItemCommand, ConditionalCheckFailedException, PutItemCommand, type AttributeValue, type BatchGetItemCommandOutput, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import * as z from 'zod';

/**
 * Which kit a courier's waybill (AWB) carries, per tenant and courier integration, in the
 * integration-state table: `AWB#<tenant>#<courier>#<awb>` / `KIT` → `kitNo`.
 *
 * Some courier scans name the kit only by the AWB. The pair is learnt from a scan of the same
 * integration that carries both our reference (the kit number, given to the courier at booking)
 * and the AWB: the courier webhook records it before it resolves AWB-only scans. The first pair
 * learnt for an AWB stays; a later scan pairing it with another kit does not overwrite it.
 */
export interface AwbKey {
  tenant: string;
  /** The courier integration (the webhook's `{courier}` path segment). */
  courier: string;
}

export type LearnResult = { kind: 'learnt' } | { kind: 'known' } | { kind: 'conflict'; kitNo: string };

const SK = 'KIT';
/** Kits are delivered within weeks; couriers recycle waybill numbers only after much longer. */
const TTL_SECONDS = 180 * 86_400;
/** BatchGetItem takes at most 100 keys. */
const BATCH_GET_LIMIT = 100;

export const awbPk = (key: AwbKey, awb: string): string => `AWB#${key.tenant}#${key.courier}#${awb}`;

const storedEntry = z.object({ awb: z.string(), kitNo: z.string(), expiresAt: z.number() });

export class AwbIndex {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** The kit of each AWB already learnt; unknown AWBs are absent from the map. */
  async lookup(key: AwbKey, awbs: readonly string[]): Promise<Map<string, string>> {
    const nowSeconds = Math.floor(this.now() / 1_000);
    const found = new Map<string, string>();
    const unique = [...new Set(awbs)];
    for (let i = 0; i < unique.length; i += BATCH_GET_LIMIT) {
      let keys: Record<string, AttributeValue>[] | undefined = unique.slice(i, i + BATCH_GET_LIMIT).map((awb) => marshall({ pk: awbPk(key, awb), sk: SK }));
      // Unprocessed keys are asked again until DynamoDB has answered for all of them.
      while (keys && keys.length > 0) {
        const answer: BatchGetItemCommandOutput = await this.client.send(
          new BatchGetItemCommand({ RequestItems: { [this.tableName]: { Keys: keys, ConsistentRead: true, ProjectionExpression: 'awb, kitNo, expiresAt' } } }),
        );
        for (const item of answer.Responses?.[this.tableName] ?? []) {
          const entry = storedEntry.parse(unmarshall(item));
          // TTL deletion lags by up to days: an expired pair is no longer known.
          if (entry.expiresAt >= nowSeconds) found.set(entry.awb, entry.kitNo);
        }
        keys = answer.UnprocessedKeys?.[this.tableName]?.Keys;
      }
    }
    return found;
  }

  /** Records that `awb` carries `kitNo`, unless the AWB is already known (then says whether it agrees). */
  async learn(key: AwbKey, awb: string, kitNo: string): Promise<LearnResult> {
    const nowMs = this.now();
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: marshall({
            pk: awbPk(key, awb),
            sk: SK,
            tenant: key.tenant,
            courier: key.courier,
            awb,
            kitNo,
            learntAt: new Date(nowMs).toISOString(),
            expiresAt: Math.floor(nowMs / 1_000) + TTL_SECONDS,
          }),
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :nowSeconds',
          ExpressionAttributeValues: marshall({ ':nowSeconds': Math.floor(nowMs / 1_000) }),
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { kind: 'learnt' };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const existing = storedEntry.parse(unmarshall(error.Item ?? {}));
      return existing.kitNo === kitNo ? { kind: 'known' } : { kind: 'conflict', kitNo: existing.kitNo };
    }
  }
}

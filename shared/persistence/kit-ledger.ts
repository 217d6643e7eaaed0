import { BatchGetItemCommand, PutItemCommand, UpdateItemCommand, type AttributeValue, type BatchGetItemCommandOutput, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import * as z from 'zod';

/**
 * Integration state per kit (the kit ledger): which customer and account a kit was issued for,
 * the last delivery status applied and when it happened, and a history of what we did.
 * Items: `KIT#<tenant>#<kitNo>` / `STATE`, and `KIT#<tenant>#<kitNo>` / `EVENT#<occurredAt>#<status>`.
 */
export const kitState = z.object({
  tenant: z.string(),
  kitNo: z.string(),
  entityId: z.string().optional(),
  accountNo: z.string().optional(),
  cardType: z.string().optional(),
  issuedAt: z.string().optional(),
  lastStatus: z.string().optional(),
  lastOccurredAt: z.string().optional(),
  updatedAt: z.string().optional(),
});
export type KitState = z.infer<typeof kitState>;

export type KitHistoryOutcome = 'ISSUED' | 'APPLIED' | 'STALE' | 'DUPLICATE' | 'REJECTED';

export interface KitHistoryEntry {
  occurredAt: string;
  status: string;
  outcome: KitHistoryOutcome;
  eventId: string;
  code?: string;
}

const kitPk = (tenant: string, kitNo: string) => `KIT#${tenant}#${kitNo}`;
const STATE = 'STATE';
/** History lives a year; state lives as long as the kit does. */
const HISTORY_TTL_SECONDS = 365 * 86_400;
/** BatchGetItem takes at most 100 keys. */
const BATCH_GET_LIMIT = 100;

export class KitLedger {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  /** Records a kit we issued (idempotent: re-recording the same kit changes nothing that matters). */
  async recordIssued(kit: { tenant: string; kitNo: string; entityId: string; accountNo?: string; cardType?: string }): Promise<void> {
    const now = new Date().toISOString();
    // An answer that lacks the account or card type never erases what an earlier one recorded.
    const optional = (['accountNo', 'cardType'] as const).filter((field) => kit[field] !== undefined);
    await this.client.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: marshall({ pk: kitPk(kit.tenant, kit.kitNo), sk: STATE }),
        UpdateExpression: ['SET tenant = :tenant, kitNo = :kitNo, entityId = :entityId, issuedAt = if_not_exists(issuedAt, :now), updatedAt = :now', ...optional.map((f) => `${f} = :${f}`)].join(', '),
        ExpressionAttributeValues: marshall({
          ':tenant': kit.tenant,
          ':kitNo': kit.kitNo,
          ':entityId': kit.entityId,
          ':now': now,
          ...Object.fromEntries(optional.map((f) => [`:${f}`, kit[f]])),
        }),
      }),
    );
  }

  /** Last known state of each kit; kits never seen are absent from the map. */
  async getStates(tenant: string, kitNos: readonly string[]): Promise<Map<string, KitState>> {
    const states = new Map<string, KitState>();
    const unique = [...new Set(kitNos)];
    for (let i = 0; i < unique.length; i += BATCH_GET_LIMIT) {
      let keys: Record<string, AttributeValue>[] | undefined = unique.slice(i, i + BATCH_GET_LIMIT).map((kitNo) => marshall({ pk: kitPk(tenant, kitNo), sk: STATE }));
      // Unprocessed keys are retried until DynamoDB has answered for all of them.
      while (keys && keys.length > 0) {
        const answer: BatchGetItemCommandOutput = await this.client.send(new BatchGetItemCommand({ RequestItems: { [this.tableName]: { Keys: keys, ConsistentRead: true } } }));
        for (const item of answer.Responses?.[this.tableName] ?? []) {
          const state = kitState.parse(unmarshall(item));
          states.set(state.kitNo, state);
        }
        keys = answer.UnprocessedKeys?.[this.tableName]?.Keys;
      }
    }
    return states;
  }

  /**
   * Moves the kit's last status forward; returns false when a newer status was applied meanwhile
   * (the conditional write keeps the ledger monotonic under concurrent workers).
   */
  async applyStatus(tenant: string, kitNo: string, status: string, occurredAt: string): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: marshall({ pk: kitPk(tenant, kitNo), sk: STATE }),
          UpdateExpression: 'SET tenant = :tenant, kitNo = :kitNo, lastStatus = :status, lastOccurredAt = :at, updatedAt = :now',
          ConditionExpression: 'attribute_not_exists(lastOccurredAt) OR lastOccurredAt < :at',
          ExpressionAttributeValues: marshall({ ':tenant': tenant, ':kitNo': kitNo, ':status': status, ':at': occurredAt, ':now': new Date().toISOString() }),
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  async appendHistory(tenant: string, kitNo: string, entry: KitHistoryEntry): Promise<void> {
    await this.client.send(
      new PutItemCommand({
        TableName: this.tableName,
        Item: marshall(
          {
            pk: kitPk(tenant, kitNo),
            sk: `EVENT#${entry.occurredAt}#${entry.status}#${entry.eventId}`,
            ...entry,
            recordedAt: new Date().toISOString(),
            expiresAt: Math.floor(Date.now() / 1_000) + HISTORY_TTL_SECONDS,
          },
          { removeUndefinedValues: true },
        ),
      }),
    );
  }
}

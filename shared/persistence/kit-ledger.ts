import { ConditionalCheckFailedException, PutItemCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
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
  /** The newest scan accepted for the kit: older ones are stale. */
  newestStatus: z.string().optional(),
  newestOccurredAt: z.string().optional(),
  /** The last status this system applied in DCMS, and when that scan happened. */
  lastStatus: z.string().optional(),
  lastOccurredAt: z.string().optional(),
  /** The delivery holding the kit's send lock (its SQS message id), until an epoch ms. */
  lockOwner: z.string().optional(),
  lockedUntil: z.number().optional(),
  /** Epoch ms before which nothing is sent for the kit: a send whose answer was lost may still commit until then. */
  quietUntil: z.number().optional(),
  updatedAt: z.string().optional(),
});
export type KitState = z.infer<typeof kitState>;

export type KitClaim = { claim: 'claimed' } | { claim: 'stale' } | { claim: 'busy'; /** Epoch ms when a quiet kit can be claimed again. */ until?: number };

/** One courier scan of one kit; `occurredAt` in UTC ISO form, so strings order as instants. */
export interface KitScan {
  tenant: string;
  kitNo: string;
  status: string;
  occurredAt: string;
}

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

  /**
   * Takes a kit's scan as the newest one and the kit's send lock, in one conditional write: a scan
   * older than the newest accepted one is `stale`; a kit whose lock another delivery holds (until
   * `lockedUntil`, its invocation's deadline), or that is quiet after a send whose answer was lost,
   * is `busy` until the returned instant. Holding the lock while sending is what keeps two
   * instances' sends for one kit from landing at DCMS in the wrong order: every send of a kit
   * follows the previous one's answer (or its settle window), and each sends the newest scan
   * accepted so far.
   */
  async claimNewest(scan: KitScan, lock: { owner: string; until: number }, now = Date.now()): Promise<KitClaim> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: marshall({ pk: kitPk(scan.tenant, scan.kitNo), sk: STATE }),
          UpdateExpression: 'SET tenant = :tenant, kitNo = :kitNo, newestStatus = :status, newestOccurredAt = :at, lockOwner = :owner, lockedUntil = :until',
          ConditionExpression:
            '(attribute_not_exists(newestOccurredAt) OR newestOccurredAt < :at OR (newestOccurredAt = :at AND newestStatus = :status)) ' +
            'AND (attribute_not_exists(lockedUntil) OR lockedUntil < :now OR lockOwner = :owner) ' +
            'AND (attribute_not_exists(quietUntil) OR quietUntil < :now)',
          ExpressionAttributeValues: marshall({
            ':tenant': scan.tenant,
            ':kitNo': scan.kitNo,
            ':status': scan.status,
            ':at': scan.occurredAt,
            ':owner': lock.owner,
            ':until': lock.until,
            ':now': now,
          }),
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { claim: 'claimed' };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const old = error.Item ? kitState.parse(unmarshall(error.Item)) : undefined;
      const newer = old?.newestOccurredAt !== undefined && (old.newestOccurredAt > scan.occurredAt || (old.newestOccurredAt === scan.occurredAt && old.newestStatus !== scan.status));
      if (newer) return { claim: 'stale' };
      // A lock is held until its send is answered (seconds, usually): only a quiet kit has a known end.
      const quietUntil = old?.quietUntil !== undefined && old.quietUntil >= now ? old.quietUntil : undefined;
      return { claim: 'busy', ...(quietUntil !== undefined && { until: quietUntil }) };
    }
  }

  /**
   * Lets go of the kit's send lock. An applied scan becomes the kit's last status; a send whose
   * answer was lost may still commit, so the kit stays quiet (nothing sent for it) until `quietUntil`.
   */
  async releaseKit(scan: KitScan, owner: string, outcome: { applied: true } | { applied: false; quietUntil?: number }): Promise<void> {
    const values: Record<string, unknown> = { ':owner': owner };
    const updates: string[] = [];
    if (outcome.applied) {
      updates.push('lastStatus = :status', 'lastOccurredAt = :at', 'updatedAt = :now');
      Object.assign(values, { ':status': scan.status, ':at': scan.occurredAt, ':now': new Date().toISOString() });
    } else if (outcome.quietUntil !== undefined) {
      updates.push('quietUntil = :quiet');
      values[':quiet'] = outcome.quietUntil;
    }
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: marshall({ pk: kitPk(scan.tenant, scan.kitNo), sk: STATE }),
          UpdateExpression: `${updates.length > 0 ? `SET ${updates.join(', ')} ` : ''}REMOVE lockOwner, lockedUntil`,
          ConditionExpression: 'lockOwner = :owner',
          ExpressionAttributeValues: marshall(values),
        }),
      );
    } catch (error) {
      // The lock had expired and another delivery holds it now: it sends the newest scan after us.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
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

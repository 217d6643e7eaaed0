import { IdempotencyItemAlreadyExistsError, IdempotencyItemNotFoundError, IdempotencyRecordStatus } from '@aws-lambda-powertools/idempotency';
import { BasePersistenceLayer, type IdempotencyRecord } from '@aws-lambda-powertools/idempotency/persistence';
import type { CoveragePort, CustomerCoverage } from '../../shared/persistence/customer-ledger.js';
import type { KitClaim, KitHistoryEntry, KitScan } from '../../shared/persistence/kit-ledger.js';
import type { RetryHistory } from '../../shared/protocol/retry/schedule.js';
import type { MarkerPort } from '../../shared/protocol/write-once/run.js';
import type { CarriedHistory } from '../../shared/messaging/retry-history.js';
import type { World } from './world.js';

/** DynamoDB as AWS documents it failing (shared/reference/aws-semantics.md), each a per-call chance. */
export interface StoreFaults {
  /** Throttled (ProvisionedThroughputExceeded): nothing applied. */
  throttleRate: number;
  /** Applied, but the answer was lost (a timeout after the write landed). */
  lostAnswerRate: number;
  /** Unreachable from `from` until `until` (epoch ms): nothing applied. */
  outage?: { from: number; until: number } | undefined;
}

export const NO_STORE_FAULTS: StoreFaults = { throttleRate: 0, lostAnswerRate: 0 };

/** Which safeguards of the protocol the simulated store keeps (all, except to prove one matters). */
export interface StoreSafeguards {
  /** The kit ledger refuses a scan older than the kit's newest. */
  newestScan: boolean;
  /** Retry histories are kept under the record's identity, not under the SQS copy's message id. */
  retryHistory: boolean;
}

class StoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProvisionedThroughputExceededException';
  }
}

interface KitItem {
  newestStatus?: string;
  newestOccurredAt?: string;
  lockOwner?: string;
  lockedUntil?: number;
  quietUntil?: number;
}

/**
 * The simulated DynamoDB: the items the workers keep (write-ahead markers, retry histories, the
 * kit ledger, the idempotency records) with the conditional writes their real stores make, each
 * call taking its latency on the world's timeline and failing as DynamoDB fails. The ports below
 * stand where PendingSends, RetryHistoryStore, KitLedger, CustomerLedger and Powertools' DynamoDB layer stand in Lambda.
 */
export class SimStore {
  faults: StoreFaults = NO_STORE_FAULTS;
  /** Failures whose retry history could not be recorded (the copy's own then stands in). */
  historyFallbacks = 0;
  private readonly markers = new Map<string, number>();
  private readonly histories = new Map<string, { attempts: number; firstFailedAt: number; budgets: Map<number, number> }>();
  private readonly kits = new Map<string, KitItem>();
  private readonly records = new Map<string, IdempotencyRecord>();
  private readonly coverages = new Map<string, CustomerCoverage>();

  constructor(
    private readonly world: World,
    private readonly safeguards: StoreSafeguards,
  ) {}

  /** One round trip: `apply` runs unless the call fails first; a lost answer fails after it ran. */
  op<T>(apply: () => T): Promise<T> {
    const { world } = this;
    return world.remote(world.random.int(2, 20), () => {
      const { outage } = this.faults;
      if (outage && world.now >= outage.from && world.now < outage.until) throw new StoreError('DynamoDB unreachable');
      if (world.random.chance(this.faults.throttleRate)) throw new StoreError('throttled');
      const result = apply();
      if (world.random.chance(this.faults.lostAnswerRate)) {
        world.log('DynamoDB: a request applied, its answer lost');
        throw new StoreError('answer lost');
      }
      return result;
    });
  }

  readonly markerPort: MarkerPort = {
    lastSentAt: (key) => this.op(() => this.markers.get(key)),
    markSending: (key, sentAt, expected) =>
      this.op(() => {
        if (this.markers.get(key) !== expected) return false;
        this.markers.set(key, sentAt);
        return true;
      }),
    clear: (key, sentAt) =>
      this.op(() => {
        if (this.markers.get(key) === sentAt) this.markers.delete(key);
      }).catch(() => undefined),
  };

  /** CustomerLedger's contract. */
  readonly coveragePort: CoveragePort = {
    coverage: (tenant, entityId) => this.op(() => this.coverages.get(`${tenant}#${entityId}`)),
    recordCovered: (tenant, entityId, cards) => this.op(() => void this.coverages.set(`${tenant}#${entityId}`, { coveredSince: new Date(this.world.now).toISOString(), cards: [...cards] })),
  };

  /** RetryHistoryStore's contract, its fallback included. */
  readonly historyPort = {
    recordFailure: async (recordKey: string, redrives: number, now: number, carried: CarriedHistory): Promise<RetryHistory> => {
      // Without the safeguard, each SQS copy has a history of its own, as receive counts do.
      const key = this.safeguards.retryHistory ? recordKey : `copy#${carried.messageId}`;
      try {
        return await this.op(() => {
          const first = Math.min(carried.firstFailedAt ?? now, now);
          const item = this.histories.get(key) ?? { attempts: 0, firstFailedAt: first, budgets: new Map() };
          item.attempts += 1;
          if (!item.budgets.has(redrives)) item.budgets.set(redrives, redrives === 0 ? first : now);
          this.histories.set(key, item);
          return { attempts: item.attempts, firstFailedAt: item.firstFailedAt, budgetFrom: item.budgets.get(redrives)! };
        });
      } catch {
        this.historyFallbacks += 1;
        const firstFailedAt = Math.min(carried.firstFailedAt ?? carried.sentAt, carried.sentAt, now);
        return { attempts: Math.max((carried.attempts ?? 0) + 1, carried.receiveCount), firstFailedAt, budgetFrom: firstFailedAt };
      }
    },
  };

  /** KitLedger's contract: the same conditions as its conditional writes. */
  readonly ledgerPort = {
    recordIssued: async (_kit: { tenant: string; kitNo: string; entityId: string; accountNo?: string; cardType?: string }) => this.op(() => undefined),
    appendHistory: async (_tenant: string, _kitNo: string, _entry: KitHistoryEntry) => this.op(() => undefined),
    claimNewest: async (scan: KitScan, lock: { owner: string; until: number }, now = Date.now()): Promise<KitClaim> =>
      this.op((): KitClaim => {
        const key = `${scan.tenant}#${scan.kitNo}`;
        const old = this.kits.get(key) ?? {};
        const newer =
          this.safeguards.newestScan &&
          old.newestOccurredAt !== undefined &&
          (old.newestOccurredAt > scan.occurredAt || (old.newestOccurredAt === scan.occurredAt && old.newestStatus !== scan.status));
        const locked = old.lockedUntil !== undefined && old.lockedUntil >= now && old.lockOwner !== lock.owner;
        const quiet = old.quietUntil !== undefined && old.quietUntil >= now;
        if (newer) return { claim: 'stale' };
        if (locked || quiet) return { claim: 'busy', ...(quiet && { until: old.quietUntil }) };
        this.kits.set(key, { ...old, newestStatus: scan.status, newestOccurredAt: scan.occurredAt, lockOwner: lock.owner, lockedUntil: lock.until });
        return { claim: 'claimed' };
      }),
    releaseKit: async (scan: KitScan, owner: string, outcome: { applied: true } | { applied: false; quietUntil?: number }): Promise<void> =>
      this.op(() => {
        const key = `${scan.tenant}#${scan.kitNo}`;
        const old = this.kits.get(key);
        if (old?.lockOwner !== owner) return;
        const { lockOwner: _owner, lockedUntil: _until, ...rest } = old;
        this.kits.set(key, { ...rest, ...(!outcome.applied && outcome.quietUntil !== undefined && { quietUntil: outcome.quietUntil }) });
      }),
  };

  /** Powertools' idempotency records, with the DynamoDB layer's condition on the in-progress put. */
  persistenceLayer(): BasePersistenceLayer {
    return new SimPersistenceLayer(this, this.records);
  }
}

/** Powertools' idempotency records on the simulated table, with the DynamoDB layer's condition on the in-progress put. */
class SimPersistenceLayer extends BasePersistenceLayer {
  constructor(
    private readonly store: { op<T>(apply: () => T): Promise<T> },
    private readonly records: Map<string, IdempotencyRecord>,
  ) {
    super();
  }
  protected async _getRecord(key: string): Promise<IdempotencyRecord> {
    const record = await this.store.op(() => this.records.get(key));
    if (!record) throw new IdempotencyItemNotFoundError('not found');
    return record;
  }

  protected async _putRecord(record: IdempotencyRecord): Promise<void> {
    await this.store.op(() => {
      const old = this.records.get(record.idempotencyKey);
      const now = Date.now();
      const free =
        old === undefined ||
        (old.expiryTimestamp !== undefined && old.expiryTimestamp * 1_000 < now) ||
        (old.getStatus() === IdempotencyRecordStatus.INPROGRESS && old.inProgressExpiryTimestamp !== undefined && old.inProgressExpiryTimestamp < now);
      if (!free) throw new IdempotencyItemAlreadyExistsError(`exists: ${record.idempotencyKey}`, old);
      this.records.set(record.idempotencyKey, record);
    });
  }

  protected async _updateRecord(record: IdempotencyRecord): Promise<void> {
    await this.store.op(() => void this.records.set(record.idempotencyKey, record));
  }

  protected async _deleteRecord(record: IdempotencyRecord): Promise<void> {
    await this.store.op(() => void this.records.delete(record.idempotencyKey));
  }
}

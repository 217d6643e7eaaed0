import { QUEUES } from '../../shared/config/resources.js';
import type { TenantSettings } from '../../shared/config/tenants.js';
import { deliveryStatus } from '../../shared/contracts/courier-kit-status.js';
import { GROUP_CONCURRENCY } from '../../shared/worker/record-batch.js';

/** Lambda's bounds for the maximum concurrency of an SQS event source. */
export const EVENT_SOURCE_CONCURRENCY = { min: 2, max: 1_000 } as const;

/** How one DCMS worker loads DCMS. */
export interface DcmsLoad {
  /** Share of each tenant's DCMS rate limit this worker is sized to fill (its lane's part of the fleet-wide budget). */
  share: number;
  /** DCMS calls one instance has in flight at once: the records it runs side by side, as a record's own calls are sequential. */
  callsInFlight: number;
}

/**
 * The event source's maxConcurrency for a DCMS worker: enough instances to FILL its share of the
 * largest tenant's budget at typical DCMS latency.
 *
 *   maxConcurrency = clamp( ⌈ max_t(perSecond_t) × share × typicalLatencyMs / (1000 × callsInFlight) ⌉, 2, 1000 )
 *
 * - Little's law: holding `rate` calls per second that each take `latency` needs rate × latency calls
 *   in flight; 100 req/s × 0.25 s = 25 calls in flight for a whole standard-tier budget.
 * - A record's DCMS calls run one after the other (a card is two: register, then issue), so the calls
 *   per event set how many events per second the budget buys, not how many calls are in flight: each
 *   running record is at most one call in flight, for the share of its time it waits on DCMS
 *   (CORE_BANKING_CALLS_IN_FLIGHT below).
 * - The ceiling is sized for the largest tenant: one queue carries every tenant, and a migration of the
 *   biggest one must not be held back by a ceiling sized for the smallest. What keeps every tenant
 *   under its limit is the fleet-wide budget (shared/resilience/fleet-rate-limiter.ts): instances beyond
 *   what a smaller tenant's budget needs wait for its tokens, they do not send more.
 * - Rounded up, so the fleet reaches the budget at typical latency rather than stopping just short.
 * Lambda needs at least 2 for an SQS source; a tiny budget's surplus instances wait on the budget too.
 */
export function dcmsMaxConcurrency(tenants: readonly Pick<TenantSettings, 'rateLimit'>[], load: DcmsLoad, typicalLatencyMs: number): number {
  if (tenants.length === 0) throw new Error('no tenants: cannot size a DCMS worker');
  if (!(load.share > 0 && load.share <= 1)) throw new Error(`DCMS share must be in (0, 1], got ${load.share}`);
  if (!(load.callsInFlight >= 1)) throw new Error(`a DCMS worker instance has at least one call in flight, got ${load.callsInFlight}`);
  const largestTenant = Math.max(...tenants.map((t) => t.rateLimit.perSecond));
  const callsInFlightNeeded = (largestTenant * load.share * typicalLatencyMs) / 1_000;
  const instances = Math.ceil(callsInFlightNeeded / load.callsInFlight);
  return Math.min(EVENT_SOURCE_CONCURRENCY.max, Math.max(EVENT_SOURCE_CONCURRENCY.min, instances));
}

/**
 * The real-time DCMS workers' shares together fill each tenant's limit and no more: sized beyond it,
 * the extra instances would only wait on the fleet-wide budget while holding their records.
 */
export function assertDcmsBudget(loads: readonly DcmsLoad[]): void {
  const total = loads.reduce((sum, load) => sum + load.share, 0);
  if (total > 1 + Number.EPSILON) throw new Error(`the DCMS workers' shares sum to ${total}; at most 1 is available`);
}

/**
 * Share of a running core-banking record's time spent waiting on DCMS: the rest is DynamoDB (the
 * idempotency record, the settle marker, the kit ledger) and the batch's wait for its slowest
 * group before the next batch comes. Measured by `npm run bench -- throughput` ("calls in flight
 * per bulk instance" ÷ 5 groups): 3.66 of 5 (0.73) where DCMS alone would allow 5.
 */
export const DCMS_DUTY_CYCLE = 0.7;

/**
 * DCMS calls one core-banking instance keeps in flight. Its FIFO batch of 10 runs one record per
 * message group side by side (up to GROUP_CONCURRENCY); a customer's group holds its
 * customer.created and then its account.opened, so a full batch is about 5 groups.
 */
export const CORE_BANKING_CALLS_IN_FLIGHT = (Math.min(QUEUES.coreBanking.batchSize, GROUP_CONCURRENCY) / 2) * DCMS_DUTY_CYCLE;

/**
 * What each real-time DCMS worker is sized to fill of each tenant's DCMS limit; the fleet-wide
 * budget, not these ceilings, keeps the tenant under it. Core banking gets most of it: one or two
 * calls per event, where a courier call carries up to a whole batch of kits.
 */
export const DCMS_LOAD = {
  coreBanking: { share: 0.75, callsInFlight: CORE_BANKING_CALLS_IN_FLIGHT },
  // One deliveryStatus call per (tenant, status) group of a batch, the groups in parallel.
  courier: { share: 0.25, callsInFlight: deliveryStatus.options.length },
  /**
   * The bulk lane (a bank's existing book): sized to fill the tenant's whole rate, since it has all
   * of it while real time is quiet. Its `bulkShare` is a share of the bucket's burst, kept by the
   * fleet-wide budget for real-time calls, not a cap on the sustained rate.
   */
  coreBankingBulk: { share: 1, callsInFlight: CORE_BANKING_CALLS_IN_FLIGHT },
} as const satisfies Record<string, DcmsLoad>;

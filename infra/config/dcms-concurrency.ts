import type { TenantSettings } from '../../shared/config/tenants.js';

/** Lambda's bounds for the maximum concurrency of an SQS event source. */
export const EVENT_SOURCE_CONCURRENCY = { min: 2, max: 1_000 } as const;

/** How one DCMS worker loads DCMS. */
export interface DcmsLoad {
  /** Share of each tenant's DCMS rate limit this worker may use; the DCMS workers' shares sum to at most 1. */
  share: number;
  /** DCMS calls one instance can have in flight at once. */
  callsInFlight: number;
}

/**
 * The event source's maxConcurrency for a DCMS worker:
 *
 *   maxConcurrency = clamp( ⌊ min_t(perSecond_t) × share × minLatencyMs / (1000 × callsInFlight) ⌋, 2, 1000 )
 *
 * - An instance with `callsInFlight` calls open, each taking at least `minLatencyMs`, makes at most
 *   callsInFlight × 1000 / minLatencyMs calls per second.
 * - One queue carries every tenant, so at a given moment the whole fleet may be working for a single
 *   tenant: the ceiling must hold for the tenant with the smallest sustained limit (`perSecond`,
 *   DCMS tiers: 100/s standard, 500/s high volume). The burst allowance is headroom, not budget.
 * - Workers calling DCMS share each tenant's limit, hence `share`.
 * Lambda's floor of 2 can exceed a tiny budget; each instance's token bucket and the client's 429
 * handling (Retry-After, backoff) absorb that overshoot.
 */
export function dcmsMaxConcurrency(tenants: readonly Pick<TenantSettings, 'rateLimit'>[], load: DcmsLoad, minLatencyMs: number): number {
  if (tenants.length === 0) throw new Error('no tenants: cannot size a DCMS worker');
  if (!(load.share > 0 && load.share <= 1)) throw new Error(`DCMS share must be in (0, 1], got ${load.share}`);
  const slowestTenant = Math.min(...tenants.map((t) => t.rateLimit.perSecond));
  const callsPerInstance = (load.callsInFlight * 1_000) / minLatencyMs;
  const instances = Math.floor((slowestTenant * load.share) / callsPerInstance);
  return Math.min(EVENT_SOURCE_CONCURRENCY.max, Math.max(EVENT_SOURCE_CONCURRENCY.min, instances));
}

/** The DCMS workers' shares together must not promise more than each tenant's limit. */
export function assertDcmsBudget(loads: readonly DcmsLoad[]): void {
  const total = loads.reduce((sum, load) => sum + load.share, 0);
  if (total > 1 + Number.EPSILON) throw new Error(`the DCMS workers' shares sum to ${total}; at most 1 is available`);
}

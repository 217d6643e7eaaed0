import type { Lane } from './fleet-rate-limiter.js';
import { BucketRefusal, type BucketGrant, type RateBucket } from './rate-bucket.js';
import type { RateLimit } from './rate-limiter.js';

/** At most this many UpdateItem calls per lease attempt (a wrong guess of the bucket's state costs one). */
const MAX_CALLS_PER_ATTEMPT = 3;

/** One lease for a tenant's limit and lane: how many tokens, how long they live, and where the lane's share of the bucket ends. */
export interface LeasePlan {
  size: number;
  leaseMs: number;
  /** What the lease adds to the bucket's tat (ms). */
  increment: number;
  /** Latest tat (ms ahead of now) after which the lease no longer fits the lane's share of the bucket. */
  horizon: number;
}

export interface LeaseDemand {
  /** The limiter's longest lease. */
  leaseMs: number;
  bulkShare: number;
  /** This instance's recent acquire rate (per second) and the callers waiting now. */
  demand: number;
  waiting: number;
}

/**
 * A lease covers what this instance is expected to spend within one lease (at least what waits now),
 * at most the tenant's rate over the lease. Leased tokens may be spent up to leaseMs later, so the
 * bucket holds that much less than DCMS's burst; leaseMs is shortened for a tenant whose burst is
 * under twice that, so the bucket keeps at least half the burst.
 */
export function planLease(limit: RateLimit, lane: Lane, demand: LeaseDemand): LeasePlan {
  const leaseMs = Math.min(demand.leaseMs, (500 * limit.burst) / limit.perSecond);
  const bucketBurst = Math.max(1, limit.burst - (limit.perSecond * leaseMs) / 1_000);
  const laneCapacity = lane === 'realtime' ? bucketBurst : Math.max(1, bucketBurst * demand.bulkShare);
  const perLease = Math.max(1, Math.floor((limit.perSecond * leaseMs) / 1_000));
  const wanted = Math.max(demand.waiting, Math.ceil((demand.demand * leaseMs) / 1_000));
  const size = Math.max(1, Math.min(wanted, perLease, Math.floor(laneCapacity)));
  return { size, leaseMs, increment: (size / limit.perSecond) * 1_000, horizon: (laneCapacity / limit.perSecond) * 1_000 };
}

/** A refusal says when the lease fits (retryAt) and over how long to spread the retry (spreadMs). */
export type LeaseResult = { granted: true; grant: BucketGrant; askedAt: number } | { granted: false; retryAt: number; spreadMs: number };

export interface LeaseAttempt {
  result: LeaseResult;
  /** The bucket's tat as last seen, to guess which update applies next time. */
  lastTat: number | undefined;
  dynamoCalls: number;
}

/** One lease: at most a few conditional UpdateItems on the tenant's bucket. */
export async function leaseFromBucket(bucket: RateBucket, tenant: string, plan: LeasePlan, lastTat: number | undefined): Promise<LeaseAttempt> {
  const { increment, horizon } = plan;
  let calls = 0;
  while (calls < MAX_CALLS_PER_ATTEMPT) {
    const now = Date.now();
    const idle = lastTat === undefined || lastTat < now;
    calls += 1;
    try {
      const grant = idle ? await bucket.restart(tenant, now, increment) : await bucket.extend(tenant, now, increment, horizon);
      // The lease's life counts from before the call that won it: the grant happened during that call.
      return { result: { granted: true, grant, askedAt: now }, lastTat: grant.tat, dynamoCalls: calls };
    } catch (error) {
      if (!(error instanceof BucketRefusal)) throw error;
      lastTat = error.tat;
      // Still busy and full for this lane: the bucket's own tat says when the lease fits.
      if (lastTat !== undefined && lastTat >= now && lastTat + increment > now + horizon) {
        // Spread retries over at most half the time the bucket stays busy once the lease fits: retrying
        // after the bucket has filled up would waste what it could no longer hold.
        const result = { granted: false, retryAt: lastTat + increment - horizon, spreadMs: Math.min(increment, (horizon - increment) / 2) } as const;
        return { result, lastTat, dynamoCalls: calls };
      }
    }
  }
  return { result: { granted: false, retryAt: Date.now() + 1, spreadMs: increment }, lastTat, dynamoCalls: calls };
}

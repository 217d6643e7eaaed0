import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { FailureCategory, IntegrationError } from './errors.js';
import { leaseFromBucket, planLease, type LeaseResult } from './bucket-lease.js';
import { RateBucket } from './rate-bucket.js';
import { deadlineError, type AcquireOptions, type Lane, type TenantRateLimiter } from './tenant-rate-limiter.js';
import type { RateLimit } from './rate-limiter.js';

export { rateBucketPk } from './rate-bucket.js';
export { RATE_LIMIT_DEADLINE } from './tenant-rate-limiter.js';

/**
 * One DCMS budget per tenant for the whole fleet: every worker and every Lambda instance draws from
 * one bucket kept in DynamoDB (the integration-state table, item `RATE#<tenant>` / `BUCKET`).
 *
 * Why leases from a shared bucket (bench/fleet-limiter.ts, DynamoDB Local, 2–4 instances each asking
 * 2.6–5× the tenant's limit):
 * - It holds the limit: 0.98–1.00 of 100/s and 1.00 of 50/s sustained, and no window of any length
 *   above `rate × t + burst` (the worst came 60 tokens under), so DCMS answers no 429 (0%).
 * - It is cheap: an instance takes a lease of N tokens in one conditional UpdateItem and spends them
 *   locally; N follows the instance's own demand, up to rate × leaseMs (25 tokens at 100/s). That is
 *   0.12–0.19 DynamoDB calls per DCMS call at 100/s (0.31 at 50/s), refused attempts included; an idle
 *   instance makes none. A DynamoDB call per DCMS call would hold the rate as well, at 1.0 call (and
 *   a round trip) per DCMS call: 5–8 times the writes.
 * - It is fair: every instance retries the same way, so each gets an equal chance at each lease
 *   (smallest ÷ largest instance share 0.4–0.85 over 8 s, evening out over longer runs).
 * - An adaptive limiter (per instance, driven by 429s and latency) needs no shared state but finds
 *   the limit by crossing it: each instance probes independently, the fleet's sum oscillates around
 *   the limit, and every crossing is answered 429 (the issue asks < 1%); nor can it let one
 *   instance's real-time calls pass before another instance's bulk calls.
 * - A static split (the limit ÷ the most instances that may run) never crosses the limit but leaves
 *   most of it unused whenever fewer instances run than planned, which is nearly always.
 *
 * The bucket (shared/resilience/rate-bucket.ts) is GCRA: taking n tokens adds n/rate to `tat`, allowed
 * while it stays within `burst/rate` of now. While the tenant is busy that is an additive update under
 * a condition, so instances do not invalidate each other's writes; a refused lease comes back with
 * the bucket's `tat`, which says when the lease will fit: no polling, no second read.
 *
 * Leased tokens are valid for `leaseMs` only; that is what keeps the limit a guarantee: tokens are
 * spent within `leaseMs` of their grant, so DCMS sees at most `rate × t + burst` in any window of t
 * when the shared bucket holds `burst − rate × leaseMs` (leaseMs is shortened for a tenant whose
 * burst is under twice that, so the bucket keeps at least half the burst). Tokens still in hand when
 * their lease lapses are handed back to the bucket (one more UpdateItem): a Lambda's demand comes in
 * batches, and without the hand-back 9–18% of the leased tokens lapsed unspent, holding the fleet to
 * 0.86–0.89 of the limit (bench/fleet-limiter.ts, batch runs).
 *
 * Lanes: `realtime` may empty the bucket; `bulk` may only take it down to a reserve of
 * `(1 − bulkShare)` of it. While bulk alone runs it still gets the whole sustained rate (it takes
 * each refill above the reserve); as soon as real-time calls arrive they find the reserve, and bulk
 * only gets what real time leaves (measured: a real-time trickle beside three saturating bulk
 * instances waited 11 ms at p95, one DynamoDB round trip). Inside one instance, waiting real-time
 * callers are served before waiting bulk ones.
 *
 * A caller that cannot be served before its deadline is refused at once (a Transient
 * IntegrationError, code RATE_LIMIT_DEADLINE), never kept waiting past it.
 */

export type { AcquireOptions, Lane, TenantRateLimiter } from './tenant-rate-limiter.js';

export interface LeaseInfo {
  tenant: string;
  lane: Lane;
  requested: number;
  granted: number;
  /** DynamoDB calls this lease took (a refused first guess costs one more). */
  dynamoCalls: number;
}

export interface FleetRateLimiterOptions {
  dynamo: DynamoDBClient;
  /** The integration-state table (pk, sk strings, `expiresAt` TTL). */
  tableName: string;
  limitOf: (tenant: string) => RateLimit;
  /** How long leased tokens stay valid, and the horizon a lease is sized for. Default 250 ms. */
  leaseMs?: number;
  /** Share of the bucket the bulk lane may use; the rest is kept for real time. Default 0.8. */
  bulkShare?: number;
  /** Observes every lease (metrics, benchmarks). */
  onLease?: (lease: LeaseInfo) => void;
  /** Observes every hand-back of unspent tokens; `accepted` false: the bucket had gone idle, they are lost. */
  onGiveBack?: (giveBack: { tenant: string; tokens: number; accepted: boolean }) => void;
}

interface Waiter {
  lane: Lane;
  deadline: number;
  resolve: () => void;
  reject: (error: IntegrationError) => void;
  timer?: NodeJS.Timeout;
}

interface TenantState {
  tokens: number;
  /** Epoch ms at which the tokens in hand lapse. */
  tokensExpireAt: number;
  /** The busy period the tokens in hand were leased in (what a hand-back must match), and the lapse timer. */
  leaseSince?: number;
  lapseTimer?: NodeJS.Timeout;
  waiters: Waiter[];
  leasing: boolean;
  /** Pending retry of a refused lease: when and for which lane. */
  retry?: { timer: NodeJS.Timeout; lane: Lane };
  /** The bucket's `tat` as last seen (epoch ms), to guess which update applies. */
  lastTat?: number;
  /** Exponentially weighted rate of acquire() calls on this instance (per second). */
  demand: number;
  demandAt: number;
}

export class FleetRateLimiter implements TenantRateLimiter {
  private readonly states = new Map<string, TenantState>();
  private readonly leaseMs: number;
  private readonly bulkShare: number;
  private readonly bucket: RateBucket;

  constructor(private readonly options: FleetRateLimiterOptions) {
    this.bucket = new RateBucket(options.dynamo, options.tableName);
    this.leaseMs = options.leaseMs ?? 250;
    this.bulkShare = options.bulkShare ?? 0.8;
    if (!(this.leaseMs > 0)) throw new RangeError('leaseMs must be positive');
    if (!(this.bulkShare > 0 && this.bulkShare <= 1)) throw new RangeError('bulkShare must be in (0, 1]');
  }

  /** The same limiter, with `lane` as the default for callers that do not name one (a bulk worker's DCMS client). */
  forLane(lane: Lane): TenantRateLimiter {
    return { acquire: (tenant, options = {}) => this.acquire(tenant, { lane, ...options }) };
  }

  /** Resolves when a token for `tenant` is in hand; rejects with RATE_LIMIT_DEADLINE when none can be by the deadline. */
  acquire(tenant: string, options: AcquireOptions = {}): Promise<void> {
    const lane = options.lane ?? 'realtime';
    const deadline = options.deadline ?? Number.POSITIVE_INFINITY;
    const state = this.stateOf(tenant);
    const now = Date.now();
    this.noteDemand(state, now);
    if (now >= deadline) return Promise.reject(deadlineError(tenant, lane));
    this.lapse(tenant, state);
    // A bulk caller never overtakes a waiting real-time one; real time overtakes bulk.
    const ahead = lane === 'realtime' ? state.waiters.some((w) => w.lane === 'realtime') : state.waiters.length > 0;
    if (state.tokens >= 1 && !ahead) {
      this.spend(state);
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { lane, deadline, resolve, reject };
      if (Number.isFinite(deadline)) {
        waiter.timer = setTimeout(() => this.expire(tenant, state, waiter), deadline - now);
      }
      state.waiters.push(waiter);
      // A real-time caller must not sit behind a retry timed for the bulk lane's stricter threshold.
      if (lane === 'realtime' && state.retry?.lane === 'bulk') this.cancelRetry(state);
      this.pump(tenant, state);
    });
  }

  private spend(state: TenantState): void {
    state.tokens -= 1;
    if (state.tokens < 1) clearTimeout(state.lapseTimer);
  }

  /**
   * Tokens in hand whose lease has lapsed go back to the bucket, if it is still in the busy period
   * they came from. `due`: called by the lapse timer, which may fire a millisecond before the clock
   * reads the expiry.
   */
  private lapse(tenant: string, state: TenantState, due = false): void {
    if ((!due && Date.now() < state.tokensExpireAt) || state.tokens < 1) return;
    const tokens = Math.floor(state.tokens);
    const since = state.leaseSince;
    state.tokens = 0;
    clearTimeout(state.lapseTimer);
    if (since === undefined) return;
    const limit = this.options.limitOf(tenant);
    // Best effort: a hand-back that fails only leaves the bucket stricter than it needs to be.
    void this.bucket.giveBack(tenant, Date.now(), (tokens / limit.perSecond) * 1_000, since).then(
      (accepted) => this.options.onGiveBack?.({ tenant, tokens, accepted }),
      () => this.options.onGiveBack?.({ tenant, tokens, accepted: false }),
    );
  }

  private stateOf(tenant: string): TenantState {
    let state = this.states.get(tenant);
    if (!state) {
      state = { tokens: 0, tokensExpireAt: 0, waiters: [], leasing: false, demand: 0, demandAt: Date.now() };
      this.states.set(tenant, state);
    }
    return state;
  }

  /** EWMA of the acquire rate with a time constant of one lease: what the next lease should cover. */
  private noteDemand(state: TenantState, now: number): void {
    const tau = this.leaseMs / 1_000;
    const elapsed = Math.max(0, (now - state.demandAt) / 1_000);
    state.demand = state.demand * Math.exp(-elapsed / tau) + 1 / tau;
    state.demandAt = now;
  }

  /** Hands out tokens in hand (real time first), then leases more if anyone still waits. */
  private pump(tenant: string, state: TenantState): void {
    this.lapse(tenant, state);
    while (state.tokens >= 1 && state.waiters.length > 0) {
      const index = Math.max(
        0,
        state.waiters.findIndex((w) => w.lane === 'realtime'),
      );
      const [waiter] = state.waiters.splice(index, 1);
      this.spend(state);
      clearTimeout(waiter!.timer);
      waiter!.resolve();
    }
    if (state.waiters.length === 0 || state.leasing || state.retry) return;
    const lane: Lane = state.waiters.some((w) => w.lane === 'realtime') ? 'realtime' : 'bulk';
    state.leasing = true;
    void this.lease(tenant, state, lane).then(
      (result) => {
        state.leasing = false;
        if (!result.granted) this.scheduleRetry(tenant, state, lane, result);
        this.pump(tenant, state);
      },
      (error: unknown) => {
        state.leasing = false;
        // DynamoDB is unreachable: every waiter fails transiently now rather than waiting blind.
        const failure = new IntegrationError({
          category: FailureCategory.Transient,
          code: 'RATE_LIMITER_UNAVAILABLE',
          message: `DCMS rate budget of ${tenant} could not be read: ${error instanceof Error ? error.message : String(error)}`,
          cause: error,
        });
        for (const waiter of state.waiters.splice(0)) {
          clearTimeout(waiter.timer);
          waiter.reject(failure);
        }
      },
    );
  }

  /**
   * Every instance refused at the same bucket state learns the same retryAt. Each retries at a random
   * point of a short window after it (one lease's refill time, less when the lane's share is small):
   * the same window for every instance, so none is favoured, and fewer collide than if all came back
   * at once. The bucket keeps what nobody takes (up to the lane's share), so the spread costs no
   * throughput. A retry never passes a waiter's deadline.
   */
  private scheduleRetry(tenant: string, state: TenantState, lane: Lane, refusal: { retryAt: number; spreadMs: number }): void {
    this.refuseUnreachable(tenant, state, lane, refusal.retryAt);
    if (state.waiters.length === 0) return;
    const firstDeadline = Math.min(...state.waiters.map((w) => w.deadline));
    const at = Math.min(refusal.retryAt + refusal.spreadMs * Math.random(), Math.max(refusal.retryAt, firstDeadline - 1));
    state.retry = { lane, timer: setTimeout(() => ((state.retry = undefined), this.pump(tenant, state)), Math.max(1, at - Date.now())) };
  }

  /** Waiters of `lane` whose deadline comes before the bucket can serve it are refused now. */
  private refuseUnreachable(tenant: string, state: TenantState, lane: Lane, retryAt: number): void {
    state.waiters = state.waiters.filter((waiter) => {
      if (waiter.lane !== lane || waiter.deadline >= retryAt) return true;
      clearTimeout(waiter.timer);
      waiter.reject(deadlineError(tenant, lane));
      return false;
    });
  }

  private expire(tenant: string, state: TenantState, waiter: Waiter): void {
    const index = state.waiters.indexOf(waiter);
    if (index < 0) return;
    state.waiters.splice(index, 1);
    waiter.reject(deadlineError(tenant, waiter.lane));
  }

  private cancelRetry(state: TenantState): void {
    clearTimeout(state.retry?.timer);
    state.retry = undefined;
  }

  /** One lease for the lane: tokens in hand when granted, else a refusal that says when to retry. */
  private async lease(tenant: string, state: TenantState, lane: Lane): Promise<LeaseResult> {
    const plan = planLease(this.options.limitOf(tenant), lane, { leaseMs: this.leaseMs, bulkShare: this.bulkShare, demand: state.demand, waiting: state.waiters.length });
    const attempt = await leaseFromBucket(this.bucket, tenant, plan, state.lastTat);
    state.lastTat = attempt.lastTat;
    const { result } = attempt;
    this.options.onLease?.({ tenant, lane, requested: plan.size, granted: result.granted ? plan.size : 0, dynamoCalls: attempt.dynamoCalls });
    if (result.granted) this.hold(tenant, state, plan.size, result.askedAt + plan.leaseMs, result.grant.since);
    return result;
  }

  /**
   * A lease is only asked for once the tokens in hand are spent or lapsed, so nothing older is
   * extended.
   */
  private hold(tenant: string, state: TenantState, tokens: number, expiresAt: number, since: number | undefined): void {
    state.tokens = tokens;
    state.tokensExpireAt = expiresAt;
    state.leaseSince = since;
    clearTimeout(state.lapseTimer);
    // unref: a pending hand-back must not keep a local process alive; in Lambda it runs on the next thaw.
    state.lapseTimer = setTimeout(() => this.lapse(tenant, state, true), Math.max(0, expiresAt - Date.now())).unref();
  }
}

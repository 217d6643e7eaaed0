import { FailureCategory, IntegrationError } from './errors.js';

/**
 * What the DCMS client needs from a tenant's rate budget (shared/resilience/fleet-rate-limiter.ts
 * is the fleet-wide one): a token per call, from the caller's lane, before its deadline.
 */

export type Lane = 'realtime' | 'bulk';

export interface AcquireOptions {
  /** Default `realtime`. */
  lane?: Lane;
  /** Epoch ms by which the token must be in hand (the Lambda's deadline, less the call's own time). */
  deadline?: number;
}

/** What the DCMS client needs from a limiter. */
export interface TenantRateLimiter {
  acquire(tenant: string, options?: AcquireOptions): Promise<void>;
}

export const RATE_LIMIT_DEADLINE = 'RATE_LIMIT_DEADLINE';

/** Transient: the record comes back later, when the budget has room. */
export const deadlineError = (tenant: string, lane: Lane): IntegrationError =>
  new IntegrationError({
    category: FailureCategory.Transient,
    code: RATE_LIMIT_DEADLINE,
    message: `DCMS rate budget of ${tenant} (${lane} lane) has no token before the invocation's deadline`,
  });

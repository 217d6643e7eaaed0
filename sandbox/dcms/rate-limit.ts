export interface RateLimitSettings {
  /** Sustained requests per second per tenant. */
  perSecond: number;
  /** Bucket size: how many requests a quiet tenant may fire at once. */
  burst: number;
}

/** DCMS standard tier (docs/reference/dcms.md §2). */
export const STANDARD_TIER: RateLimitSettings = { perSecond: 100, burst: 200 };

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** A token bucket per tenant, as DCMS limits each tenant separately. */
export class TenantRateLimiter {
  private buckets = new Map<string, Bucket>();

  constructor(
    private readonly settings: RateLimitSettings,
    private readonly nowMs: () => number = () => performance.now(),
  ) {
    if (!(settings.perSecond > 0) || !(settings.burst >= 1)) {
      throw new RangeError('rateLimit needs perSecond > 0 and burst >= 1');
    }
  }

  take(tenant: string): RateDecision {
    const now = this.nowMs();
    const bucket = this.buckets.get(tenant) ?? { tokens: this.settings.burst, updatedAt: now };
    bucket.tokens = Math.min(this.settings.burst, bucket.tokens + ((now - bucket.updatedAt) / 1000) * this.settings.perSecond);
    bucket.updatedAt = now;
    this.buckets.set(tenant, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    // Whole seconds, as Retry-After carries, and never 0: "retry now" would only be refused again.
    const retryAfterSeconds = Math.max(1, Math.ceil((1 - bucket.tokens) / this.settings.perSecond));
    return { allowed: false, retryAfterSeconds };
  }

  reset(): void {
    this.buckets = new Map();
  }
}

export interface RateLimit {
  perSecond: number;
  burst: number;
}

/**
 * Token bucket per key (a tenant, a courier), local to one Lambda instance. The fleet-wide ceiling
 * comes from elsewhere (event-source maxConcurrency, API Gateway throttling); this keeps one
 * instance from bursting past its share.
 */
export class TokenBucketLimiter {
  private readonly buckets = new Map<string, { tokens: number; updatedAt: number }>();
  private readonly limitOf: ((key: string) => RateLimit) | undefined;
  private readonly now: () => number;

  constructor(options: { limitOf?: (key: string) => RateLimit; now?: () => number } = {}) {
    this.limitOf = options.limitOf;
    this.now = options.now ?? Date.now;
  }

  /** Waits until a token is available for `key`, then takes it (for callers that must go on). */
  async acquire(key: string): Promise<void> {
    for (;;) {
      const wait = this.tryAcquire(key);
      if (wait === 0) return;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  /** Takes a token and returns 0, or returns the milliseconds until one is due (for callers that answer 429). */
  tryAcquire(key: string, limit: RateLimit | undefined = this.limitOf?.(key)): number {
    if (!limit) throw new Error(`no rate limit configured for ${key}`);
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: limit.burst, updatedAt: now };
    bucket.tokens = Math.min(limit.burst, bucket.tokens + ((now - bucket.updatedAt) / 1_000) * limit.perSecond);
    bucket.updatedAt = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - bucket.tokens) / limit.perSecond) * 1_000);
  }
}

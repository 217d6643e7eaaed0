/**
 * Token bucket per key (tenant), local to one Lambda instance. The fleet-wide ceiling comes from
 * the event source's maxConcurrency; this keeps one instance from bursting past its share.
 */
export class TokenBucketLimiter {
  private readonly buckets = new Map<string, { tokens: number; updatedAt: number }>();

  constructor(
    private readonly perSecond: (key: string) => number,
    private readonly burst: (key: string) => number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Waits until a token is available for `key`, then takes it. */
  async acquire(key: string): Promise<void> {
    for (;;) {
      const wait = this.tryTake(key);
      if (wait === 0) return;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  /** Takes a token and returns 0, or returns the milliseconds until one is due. */
  private tryTake(key: string): number {
    const rate = this.perSecond(key);
    const capacity = this.burst(key);
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: capacity, updatedAt: now };
    bucket.tokens = Math.min(capacity, bucket.tokens + ((now - bucket.updatedAt) / 1_000) * rate);
    bucket.updatedAt = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - bucket.tokens) / rate) * 1_000);
  }
}

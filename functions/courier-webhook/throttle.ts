/**
 * Per-courier token bucket, local to one Lambda instance and non-blocking: a request over the
 * limit is answered 429 at once rather than held (holding it would only tie up the function).
 * API Gateway's route throttling is the fleet-wide line; this one stops a single misbehaving
 * courier from taking every instance's capacity from the others. It runs after authentication,
 * so forged requests cannot spend a genuine courier's tokens.
 */
export class CourierThrottle {
  private readonly buckets = new Map<string, { tokens: number; updatedAt: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Takes a token and returns 0, or returns the milliseconds until one is due. */
  take(courier: string, limit: { perSecond: number; burst: number }): number {
    const now = this.now();
    const bucket = this.buckets.get(courier) ?? { tokens: limit.burst, updatedAt: now };
    bucket.tokens = Math.min(limit.burst, bucket.tokens + ((now - bucket.updatedAt) / 1_000) * limit.perSecond);
    bucket.updatedAt = now;
    this.buckets.set(courier, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - bucket.tokens) / limit.perSecond) * 1_000);
  }
}

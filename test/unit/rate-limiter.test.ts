import { afterEach, describe, expect, it, vi } from 'vitest';
import { TokenBucketLimiter } from '../../shared/resilience/rate-limiter.js';

describe('TokenBucketLimiter', () => {
  // Fake timers drive both the bucket's clock and acquire()'s wait: a limiter that never refills
  // fails on an assertion at once instead of hanging until the test times out.
  afterEach(() => {
    vi.useRealTimers();
  });

  it('lets a burst through, then paces at the sustained rate', async () => {
    vi.useFakeTimers();
    const limiter = new TokenBucketLimiter({ limitOf: () => ({ perSecond: 10, burst: 2 }), now: () => Date.now() });
    await limiter.acquire('ACME_BANK');
    await limiter.acquire('ACME_BANK');
    let done = false;
    const third = limiter.acquire('ACME_BANK').then(() => (done = true));
    await vi.advanceTimersByTimeAsync(99);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(done).toBe(true);
    await third;
    // Another tenant has its own bucket.
    expect(limiter.tryAcquire('GLOBEX_BANK')).toBe(0);
  });
});

import { describe, expect, it, vi } from 'vitest';
import { sendAtMostOnce } from '../../shared/resilience/at-most-once.js';
import { DependencyBreaker } from '../../shared/resilience/breaker.js';
import { FailureCategory, IntegrationError } from '../../shared/resilience/errors.js';
import { TokenBucketLimiter } from '../../shared/resilience/rate-limiter.js';
import { backoffDelay, withRetry } from '../../shared/resilience/retry.js';

const transient = (extra: Partial<ConstructorParameters<typeof IntegrationError>[0]> = {}) =>
  new IntegrationError({ category: FailureCategory.Transient, code: 'HTTP_503', message: 'down', status: 503, ...extra });
const permanent = () => new IntegrationError({ category: FailureCategory.Permanent, code: 'invalid.input.request', message: 'bad', status: 400 });
const unknown = () => new IntegrationError({ category: FailureCategory.UnknownOutcome, code: 'TIMEOUT', message: 'lost' });
const fast = { maxRetries: 3, baseDelayMs: 1, maxDelayMs: 2, minAttemptMs: 0 };

describe('withRetry', () => {
  it('retries transient faults at most 3 times after the first attempt', async () => {
    const attempt = vi.fn().mockRejectedValue(transient());
    await expect(withRetry(attempt, fast)).rejects.toMatchObject({ code: 'HTTP_503' });
    expect(attempt).toHaveBeenCalledTimes(4);
  });

  it('returns as soon as an attempt succeeds', async () => {
    const attempt = vi.fn().mockRejectedValueOnce(transient()).mockResolvedValue('ok');
    await expect(withRetry(attempt, fast)).resolves.toBe('ok');
    expect(attempt).toHaveBeenCalledTimes(2);
  });

  it('never retries permanent errors or unknown outcomes', async () => {
    for (const error of [permanent(), unknown()]) {
      const attempt = vi.fn().mockRejectedValue(error);
      await expect(withRetry(attempt, fast)).rejects.toBe(error);
      expect(attempt).toHaveBeenCalledTimes(1);
    }
  });

  it('does not start a retry that would run past the deadline', async () => {
    const attempt = vi.fn().mockRejectedValue(transient());
    await expect(withRetry(attempt, { ...fast, deadline: Date.now() + 50, minAttemptMs: 100 })).rejects.toMatchObject({ code: 'HTTP_503' });
    expect(attempt).toHaveBeenCalledTimes(1);
  });

  it('uses full jitter below an exponential ceiling, and honours Retry-After', () => {
    const options = { maxRetries: 3, baseDelayMs: 200, maxDelayMs: 5_000 };
    expect(backoffDelay(1, transient(), { ...options, random: () => 0.999 })).toBe(199);
    expect(backoffDelay(3, transient(), { ...options, random: () => 0.5 })).toBe(400);
    expect(backoffDelay(10, transient(), { ...options, random: () => 0.999 })).toBe(4_995);
    expect(backoffDelay(1, transient({ retryAfterSeconds: 2 }), { ...options, random: () => 0 })).toBe(2_000);
  });
});

/** A breaker that may open once `minimumCalls` calls are in its window, more than half of them failed. */
const breakerOpeningAfter = (minimumCalls: number, halfOpenAfterMs = 60_000) =>
  new DependencyBreaker('DCMS', { failureRatio: 0.5, windowMs: 10_000, minimumCalls, halfOpenAfterMs, maxHalfOpenAfterMs: 4 * halfOpenAfterMs });

describe('DependencyBreaker', () => {
  it('stays closed while a minority of calls fail (a degraded platform is still called)', async () => {
    const breaker = breakerOpeningAfter(10);
    for (let i = 0; i < 100; i += 1) {
      const call = i % 5 === 0 ? () => Promise.reject(transient()) : () => Promise.resolve('ok');
      await breaker.execute(call).catch(() => undefined);
    }
    expect(breaker.isOpen).toBe(false);
  });

  it('refuses with the time until the next trial as when the record is due, doubling after each failed trial', async () => {
    vi.useFakeTimers();
    try {
      const breaker = breakerOpeningAfter(1, 10_000);
      const failing = () => Promise.reject(transient());
      await breaker.execute(failing).catch(() => undefined);
      await expect(breaker.execute(failing)).rejects.toMatchObject({ code: 'CIRCUIT_OPEN', dueInSeconds: 10 });
      vi.advanceTimersByTime(4_000);
      await expect(breaker.execute(failing)).rejects.toMatchObject({ dueInSeconds: 6 });
      vi.advanceTimersByTime(6_000);
      await expect(breaker.execute(failing)).rejects.toMatchObject({ code: 'HTTP_503' });
      await expect(breaker.execute(failing)).rejects.toMatchObject({ code: 'CIRCUIT_OPEN', dueInSeconds: 20 });
    } finally {
      vi.useRealTimers();
    }
  });

  it('opens on a failure ratio over its window and fails fast with CIRCUIT_OPEN', async () => {
    const breaker = breakerOpeningAfter(2);
    const call = vi.fn().mockRejectedValue(transient());
    await expect(breaker.execute(call)).rejects.toMatchObject({ code: 'HTTP_503' });
    await expect(breaker.execute(call)).rejects.toMatchObject({ code: 'HTTP_503' });
    await expect(breaker.execute(call)).rejects.toMatchObject({ code: 'CIRCUIT_OPEN', category: 'Transient' });
    expect(call).toHaveBeenCalledTimes(2);
    expect(breaker.isOpen).toBe(true);
  });

  it('is not opened by rate limiting or business errors', async () => {
    const breaker = breakerOpeningAfter(1);
    await expect(breaker.execute(() => Promise.reject(transient({ status: 429, code: 'HTTP_429' })))).rejects.toBeDefined();
    await expect(breaker.execute(() => Promise.reject(permanent()))).rejects.toBeDefined();
    expect(breaker.isOpen).toBe(false);
  });

  it('does not retry in-call once the circuit is open', async () => {
    const breaker = breakerOpeningAfter(1);
    const call = vi.fn().mockRejectedValue(transient());
    await expect(withRetry(() => breaker.execute(call), fast)).rejects.toMatchObject({ code: 'CIRCUIT_OPEN' });
    expect(call).toHaveBeenCalledTimes(1);
  });
});

describe('sendAtMostOnce', () => {
  it('reads before re-sending after an unknown outcome and returns what it finds', async () => {
    const send = vi.fn().mockRejectedValue(unknown());
    const reconcile = vi.fn().mockResolvedValue('kit-1');
    await expect(sendAtMostOnce({ send, reconcile, checkFirst: false })).resolves.toEqual({ result: 'kit-1', reconciled: true });
    expect(send).toHaveBeenCalledTimes(1);
  });

  it('never sends twice in one invocation: an unknown outcome not found on read-back goes back to SQS', async () => {
    const send = vi.fn().mockRejectedValue(unknown());
    const reconcile = vi.fn().mockResolvedValue(undefined);
    await expect(sendAtMostOnce({ send, reconcile, checkFirst: false })).rejects.toMatchObject({ category: 'Transient', code: 'UNKNOWN_OUTCOME' });
    expect(send).toHaveBeenCalledTimes(1);
    expect(reconcile).toHaveBeenCalledTimes(1);
  });

  it('checks first on a redelivery and does not send when the effect exists', async () => {
    const send = vi.fn();
    await expect(sendAtMostOnce({ send, reconcile: async () => 'done', checkFirst: true })).resolves.toEqual({ result: 'done', reconciled: true });
    expect(send).not.toHaveBeenCalled();
  });

  it('trusts "already exists" only when the read confirms it', async () => {
    const exists = new IntegrationError({ category: FailureCategory.Permanent, code: 'entity.already.exists', message: 'dup' });
    const isAlreadyDone = (e: IntegrationError) => e.code === 'entity.already.exists';
    await expect(sendAtMostOnce({ send: () => Promise.reject(exists), reconcile: async () => 'c1', checkFirst: false, isAlreadyDone })).resolves.toMatchObject({ reconciled: true });
    await expect(sendAtMostOnce({ send: () => Promise.reject(exists), reconcile: async () => undefined, checkFirst: false, isAlreadyDone })).rejects.toMatchObject({
      category: 'Permanent',
      code: 'entity.already.exists',
    });
  });

  it('passes permanent errors straight through without reading', async () => {
    const reconcile = vi.fn();
    await expect(sendAtMostOnce({ send: () => Promise.reject(permanent()), reconcile, checkFirst: false })).rejects.toMatchObject({ category: 'Permanent' });
    expect(reconcile).not.toHaveBeenCalled();
  });
});

describe('TokenBucketLimiter', () => {
  it('lets a burst through, then paces at the sustained rate', async () => {
    let now = 0;
    const limiter = new TokenBucketLimiter({ limitOf: () => ({ perSecond: 10, burst: 2 }), now: () => now });
    await limiter.acquire('ACME_BANK');
    await limiter.acquire('ACME_BANK');
    const third = limiter.acquire('ACME_BANK');
    let done = false;
    void third.then(() => (done = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(done).toBe(false);
    now += 100;
    await third;
    // Another tenant has its own bucket.
    await limiter.acquire('GLOBEX_BANK');
  });
});

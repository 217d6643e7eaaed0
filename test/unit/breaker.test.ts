import { describe, expect, it, vi } from 'vitest';
import { DependencyBreaker } from '../../shared/resilience/breaker.js';
import { withRetry } from '../../shared/resilience/retry.js';
import { fast, permanent, transient } from '../support/integration-errors.js';

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
    await expect(breaker.execute(() => Promise.reject(transient({ status: 429, code: 'HTTP_429' })))).rejects.toMatchObject({ code: 'HTTP_429' });
    await expect(breaker.execute(() => Promise.reject(permanent()))).rejects.toMatchObject({ code: 'invalid.input.request', category: 'Permanent' });
    expect(breaker.isOpen).toBe(false);
  });

  it('does not retry in-call once the circuit is open', async () => {
    const breaker = breakerOpeningAfter(1);
    const call = vi.fn().mockRejectedValue(transient());
    await expect(withRetry(() => breaker.execute(call), fast)).rejects.toMatchObject({ code: 'CIRCUIT_OPEN' });
    expect(call).toHaveBeenCalledTimes(1);
  });
});

import { describe, expect, it, vi } from 'vitest';
import { backoffDelay, withRetry } from '../../shared/resilience/retry.js';
import { fast, permanent, transient, unknown } from '../support/integration-errors.js';

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

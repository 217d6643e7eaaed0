import { describe, expect, it } from 'vitest';
import { TenantRateLimiter } from '../../sandbox/dcms/rate-limit.js';

describe('DCMS sandbox rate limiter', () => {
  const limiterAt = (clock: { now: number }, perSecond = 10, burst = 2) => new TenantRateLimiter({ perSecond, burst }, () => clock.now);

  it('allows a burst, then refuses with a whole-second Retry-After', () => {
    const clock = { now: 0 };
    const limiter = limiterAt(clock, 0.5, 2);
    expect(limiter.take('A')).toEqual({ allowed: true });
    expect(limiter.take('A')).toEqual({ allowed: true });
    expect(limiter.take('A')).toEqual({ allowed: false, retryAfterSeconds: 2 });
  });

  it('never asks to wait less than one second', () => {
    const clock = { now: 0 };
    const limiter = limiterAt(clock, 100, 1);
    limiter.take('A');
    expect(limiter.take('A')).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });

  it('refills at the sustained rate, up to the burst', () => {
    const clock = { now: 0 };
    const limiter = limiterAt(clock);
    limiter.take('A');
    limiter.take('A');
    expect(limiter.take('A').allowed).toBe(false);
    clock.now += 100; // one token at 10/s
    expect(limiter.take('A').allowed).toBe(true);
    expect(limiter.take('A').allowed).toBe(false);
    clock.now += 60_000;
    expect([limiter.take('A'), limiter.take('A'), limiter.take('A')].map((d) => d.allowed)).toEqual([true, true, false]);
  });

  it('keeps one bucket per tenant, and reset refills them', () => {
    const clock = { now: 0 };
    const limiter = limiterAt(clock, 1, 1);
    limiter.take('A');
    expect(limiter.take('A').allowed).toBe(false);
    expect(limiter.take('B').allowed).toBe(true);
    limiter.reset();
    expect(limiter.take('A').allowed).toBe(true);
  });

  it('refuses settings that could never admit a request', () => {
    expect(() => new TenantRateLimiter({ perSecond: 0, burst: 10 })).toThrow(RangeError);
    expect(() => new TenantRateLimiter({ perSecond: 10, burst: 0 })).toThrow(RangeError);
  });
});

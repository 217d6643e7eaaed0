import { describe, expect, it } from 'vitest';
import { FaultInjector, faultSettingsSchema } from '../../sandbox/dcms/faults.js';

/** The faults of `times` calls to /registerCard. */
const draw = (injector: FaultInjector, times: number) => Array.from({ length: times }, () => injector.decide('/registerCard').fault);

describe('DCMS sandbox fault injector: which fault a call gets', () => {
  it('injects nothing by default', () => {
    expect(draw(new FaultInjector(), 5)).toEqual([null, null, null, null, null]);
  });

  it('plays a script before any rate, entry by entry, per endpoint', () => {
    const injector = new FaultInjector({
      errorRate: 1,
      endpoints: ['/viewCustomer'],
      script: [
        { endpoint: '/registerCard', fault: 'hang', times: 2 },
        { endpoint: '/registerCard', fault: 'commitThenDrop', times: 1 },
      ],
    });
    expect(injector.decide('/register').fault).toBeNull();
    expect(draw(injector, 4)).toEqual(['hang', 'hang', 'commitThenDrop', null]);
    expect(injector.decide('/viewCustomer').fault).toBe('error');
  });

  it('repeats the same faults for the same seed, at roughly the configured rates', () => {
    const settings = { errorRate: 0.1, hangRate: 0.1, throttleRate: 0.1, commitThenFailRate: 0.1, commitThenFailMode: 'drop' as const, seed: 7 };
    const first = draw(new FaultInjector(settings), 4000);
    expect(draw(new FaultInjector(settings), 4000)).toEqual(first);
    const counts = new Map<string | null, number>();
    for (const fault of first) counts.set(fault, (counts.get(fault) ?? 0) + 1);
    for (const fault of ['error', 'hang', 'throttle', 'commitThenDrop']) {
      expect(counts.get(fault)! / 4000).toBeGreaterThan(0.08);
      expect(counts.get(fault)! / 4000).toBeLessThan(0.12);
    }
    expect(counts.has('commitThenFail')).toBe(false);
  });

  it("draws the issue's mix, both kinds of commit-then-fail and slow commits included, at their rates", () => {
    const settings = { errorRate: 0.1, throttleRate: 0.05, commitThenFailRate: 0.03, commitThenDropRate: 0.02, slowCommitRate: 0.05, seed: 3 };
    const first = draw(new FaultInjector(settings), 20_000);
    expect(draw(new FaultInjector(settings), 20_000)).toEqual(first);
    const share = (fault: string) => first.filter((f) => f === fault).length / first.length;
    const expected: Record<string, number> = { error: 0.1, throttle: 0.05, commitThenFail: 0.03, commitThenDrop: 0.02, slowCommit: 0.05 };
    for (const [fault, rate] of Object.entries(expected)) expect(Math.abs(share(fault) - rate), fault).toBeLessThan(0.01);
    expect(share('hang')).toBe(0);
  });

  it('keeps the draws of existing settings when new rates are absent', () => {
    // Same seed, same settings as before slow commits existed: the same sequence.
    const settings = { errorRate: 0.3, throttleRate: 0.2, seed: 42 };
    const withZeroes = { ...settings, commitThenDropRate: 0, slowCommitRate: 0 };
    expect(draw(new FaultInjector(withZeroes), 200)).toEqual(draw(new FaultInjector(settings), 200));
  });
});

describe('DCMS sandbox fault injector: how a fault answers', () => {
  it('answers errors with errorStatus, 500 by default', () => {
    expect(new FaultInjector({ errorRate: 1 }).decide('/register')).toEqual({ latencyMs: 0, fault: 'error', status: 500 });
    expect(new FaultInjector({ errorRate: 1, errorStatus: 503 }).decide('/register')).toEqual({ latencyMs: 0, fault: 'error', status: 503 });
  });

  it('tells a slow commit how long after receipt to apply, 17 s by default', () => {
    const scripted = (slowCommitMs?: number) =>
      new FaultInjector({ ...(slowCommitMs !== undefined && { slowCommitMs }), script: [{ endpoint: '/registerCard', fault: 'slowCommit', times: 1 }] }).decide('/registerCard');
    expect(scripted()).toEqual({ latencyMs: 0, fault: 'slowCommit', commitAfterMs: 17_000 });
    expect(scripted(250)).toEqual({ latencyMs: 0, fault: 'slowCommit', commitAfterMs: 250 });
  });

  it('opens the outage window at the first in-scope call, and closes it after durationMs', () => {
    let now = 1_000;
    const injector = new FaultInjector({ outage: { durationMs: 90_000, startAfterMs: 5_000 }, endpoints: ['/registerCard'] }, () => now);
    now = 50_000; // boot time is not spent in the window
    expect(injector.decide('/viewCustomer').fault).toBeNull(); // out of scope: does not start the clock
    expect(injector.decide('/registerCard').fault).toBeNull(); // starts the clock: the window opens 5 s later
    now = 55_000;
    expect(injector.decide('/registerCard')).toEqual({ latencyMs: 0, fault: 'error', status: 503 });
    now = 144_999;
    expect(injector.decide('/registerCard').fault).toBe('error');
    now = 145_000;
    expect(injector.decide('/registerCard').fault).toBeNull();
    injector.set({ outage: { durationMs: 10, status: 502 } });
    expect(injector.decide('/register')).toEqual({ latencyMs: 0, fault: 'error', status: 502 });
  });
});

describe('DCMS sandbox fault injector: latency', () => {
  it('applies latency only to endpoints in scope', () => {
    const injector = new FaultInjector({ latencyMs: 25, endpoints: ['/register'] });
    expect(injector.decide('/register').latencyMs).toBe(25);
    expect(injector.decide('/viewCustomer').latencyMs).toBe(0);
  });

  it('spreads latency over latencyMs … latencyMs + latencyJitterMs, repeatably for a seed', () => {
    const settings = { latencyMs: 150, latencyJitterMs: 150, seed: 11 };
    const latencies = (injector: FaultInjector) => Array.from({ length: 2000 }, () => injector.decide('/register').latencyMs);
    const drawn = latencies(new FaultInjector(settings));
    expect(latencies(new FaultInjector(settings))).toEqual(drawn);
    expect(Math.min(...drawn)).toBeGreaterThanOrEqual(150);
    expect(Math.max(...drawn)).toBeLessThanOrEqual(300);
    // Spread across the range, not a constant: both ends of it are reached.
    expect(drawn.filter((ms) => ms < 165).length).toBeGreaterThan(100);
    expect(drawn.filter((ms) => ms > 285).length).toBeGreaterThan(100);
    expect(new FaultInjector({ latencyJitterMs: 150, endpoints: ['/register'] }).decide('/viewCustomer').latencyMs).toBe(0);
  });
});

describe('DCMS sandbox fault injector: settings', () => {
  it('restarts the script when settings are replaced', () => {
    const injector = new FaultInjector();
    const settings = { script: [{ endpoint: '/registerCard' as const, fault: 'error' as const, times: 1 }] };
    injector.set(settings);
    expect(draw(injector, 2)).toEqual(['error', null]);
    injector.set(settings);
    expect(draw(injector, 1)).toEqual(['error']);
  });

  it('rejects misspelt keys, unknown endpoints and rates above 1 in total', () => {
    for (const bad of [
      { errorrate: 0.1 },
      { endpoints: ['/v1/registerCard'] },
      { hangRate: 0.5, errorRate: 0.6 },
      { slowCommitRate: 0.5, commitThenDropRate: 0.6 },
      { script: [{ endpoint: '/register', fault: 'error', times: 0 }] },
      { script: [{ endpoint: '/registerCard', fault: 'ackWithoutCommit', times: 1 }] },
      { errorStatus: 429 },
      { outage: { durationMs: 0 } },
      { outage: { durationMs: 10, until: 5 } },
    ]) {
      expect(faultSettingsSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
});

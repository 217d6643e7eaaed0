import { describe, expect, it } from 'vitest';
import { FaultInjector, faultSettingsSchema } from '../../sandbox/dcms/faults.js';

describe('DCMS sandbox fault injector', () => {
  const draw = (injector: FaultInjector, times: number) =>
    Array.from({ length: times }, () => injector.decide('/registerCard').fault);

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

  it('applies latency only to endpoints in scope', () => {
    const injector = new FaultInjector({ latencyMs: 25, endpoints: ['/register'] });
    expect(injector.decide('/register').latencyMs).toBe(25);
    expect(injector.decide('/viewCustomer').latencyMs).toBe(0);
  });

  it('restarts the script when settings are replaced', () => {
    const injector = new FaultInjector();
    const settings = { script: [{ endpoint: '/registerCard' as const, fault: 'error' as const, times: 1 }] };
    injector.set(settings);
    expect(draw(injector, 2)).toEqual(['error', null]);
    injector.set(settings);
    expect(draw(injector, 1)).toEqual(['error']);
  });

  it('rejects misspelt keys, unknown endpoints and rates above 1 in total', () => {
    for (const bad of [{ errorrate: 0.1 }, { endpoints: ['/v1/registerCard'] }, { hangRate: 0.5, errorRate: 0.6 }, { script: [{ endpoint: '/register', fault: 'error', times: 0 }] }]) {
      expect(faultSettingsSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
});

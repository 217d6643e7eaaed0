/** Faults drawn at random rates (error, throttle, latency), repeatable with a seed. */
import { describe, expect, it } from 'vitest';
import { customer } from './fixtures.js';
import { sandbox, post, card, useDcmsSandbox } from './sandbox-setup.js';

useDcmsSandbox();

describe('DCMS sandbox: rate faults', () => {
  it('applies rates only to the listed endpoints', async () => {
    sandbox.setFaults({ errorRate: 1, endpoints: ['/registerCard'] });
    expect((await post('/register', customer('676765'))).status).toBe(200);
    expect((await card('676765')).status).toBe(500);
  });

  it('is repeatable with a seed', async () => {
    await post('/register', customer('676765'));
    const run = async () => {
      sandbox.setFaults({ errorRate: 0.3, throttleRate: 0.2, seed: 42 });
      const statuses = [];
      for (let i = 0; i < 20; i += 1) statuses.push((await post('/viewCustomer', { entityId: '676765' })).status);
      return statuses;
    };
    const first = await run();
    expect(await run()).toEqual(first);
    expect(new Set(first)).toEqual(new Set([200, 429, 500]));
  });

  it('adds latency', async () => {
    sandbox.setFaults({ latencyMs: 150 });
    const started = Date.now();
    await post('/viewCustomer', { entityId: 'x' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('refuses invalid settings', () => {
    expect(() => sandbox.setFaults({ errorRate: 0.7, hangRate: 0.7 })).toThrow();
  });
});

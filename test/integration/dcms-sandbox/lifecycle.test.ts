/** Closing the sandbox with requests still open. */
import { describe, expect, it } from 'vitest';
import { startDcmsSandbox } from '../../../sandbox/dcms/server.js';
import { customer, TENANT } from './fixtures.js';
import { call, type Answer } from './sandbox-setup.js';

describe('DCMS sandbox lifecycle', () => {
  it('close() ends a pending slow commit at once, without applying it', async () => {
    const sandbox = await startDcmsSandbox({ port: 0, faults: { slowCommitRate: 1, slowCommitMs: 60_000, endpoints: ['/registerCard'] } });
    await call(sandbox.url, '/register', customer('676765'));
    const pending = call(sandbox.url, '/registerCard', { entityId: '676765', kitInfo: [{ accountNo: '1', cardType: 'PHYSICAL' }] }).then(
      (value) => value,
      (error: unknown) => error,
    );
    await expect.poll(() => sandbox.stats().pendingCalls, { timeout: 1_000, interval: 10 }).toBe(1);
    const started = Date.now();
    await sandbox.close();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await pending).toBeInstanceOf(TypeError);
    expect(sandbox.stats().tenants[TENANT]?.kits).toBe(0);
  });

  it('close() ends hung and slow requests instead of waiting for them', async () => {
    const settled = (answer: Promise<Answer>) =>
      answer.then(
        (value) => value,
        (error: unknown) => error,
      );
    const sandbox = await startDcmsSandbox({ port: 0, faults: { script: [{ endpoint: '/viewCustomer', fault: 'hang', times: 1 }] } });
    const hung = settled(call(sandbox.url, '/viewCustomer', { entityId: 'x' }));
    const slowSandbox = await startDcmsSandbox({ port: 0, faults: { latencyMs: 60_000 } });
    const slow = settled(call(slowSandbox.url, '/viewCustomer', { entityId: 'x' }));
    // Both requests are in: the hung one counted, the slow one waiting out its latency.
    await expect.poll(() => sandbox.stats().calls['/viewCustomer']).toEqual({ 'fault:hang': 1 });
    await expect.poll(() => slowSandbox.stats().pendingCalls).toBe(1);
    const started = Date.now();
    await Promise.all([sandbox.close(), slowSandbox.close()]);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await hung).toBeInstanceOf(TypeError);
    expect(await slow).toBeInstanceOf(TypeError);
  });
});

/** Slow commits, injected 5xx, outages and acknowledged writes that were never applied. */
import { beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { customer, TENANT, type Json } from './fixtures.js';
import { exceptionOf, kitsOf, sandbox, post, card, useDcmsSandbox } from './sandbox-setup.js';

useDcmsSandbox();

beforeEach(async () => {
  await post('/register', customer('676765'));
});

describe('DCMS sandbox: slow commits', () => {
  it('slowCommit: applied slowCommitMs after it was received, whether the caller waited or not', async () => {
    sandbox.setFaults({ slowCommitMs: 600, script: [{ endpoint: '/registerCard', fault: 'slowCommit', times: 2 }] });
    const started = Date.now();
    await expect(post('/registerCard', { entityId: '676765', kitInfo: [{ accountNo: '8642135', cardType: 'PHYSICAL' }] }, { signal: AbortSignal.timeout(150) })).rejects.toMatchObject({
      name: 'TimeoutError',
    });
    // The caller has given up; a read now finds nothing, and the call is still pending.
    expect((await post('/kit-manager/fetchKitsByEntityId', { entityId: '676765' })).body.result).toEqual([]);
    expect(sandbox.stats().pendingCalls).toBe(1);
    await expect.poll(() => sandbox.stats().tenants[TENANT]?.kits, { timeout: 2_000, interval: 25 }).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(550);
    expect(sandbox.stats().pendingCalls).toBe(0);

    // A patient caller gets the ordinary answer, late.
    const patientStart = Date.now();
    const answer = await card('676765', '8642135', 'VIRTUAL');
    expect(answer.status).toBe(200);
    expect(kitsOf(answer)[0]).toMatchObject({ cardType: 'VIRTUAL' });
    expect(Date.now() - patientStart).toBeGreaterThanOrEqual(550);
    expect(sandbox.stats().calls['/registerCard']).toEqual({ 'fault:slowCommit': 2 });
  });
});

describe('DCMS sandbox: outages and lost writes', () => {
  it('errorStatus: injected errors answer with the given 5xx', async () => {
    sandbox.setFaults({ errorRate: 1, errorStatus: 503 });
    const answer = await post('/viewCustomer', { entityId: '676765' });
    expect(answer.status).toBe(503);
    expect(exceptionOf(answer)).toMatchObject({ errorCode: 'service.unavailable', httpStatus: 'SERVICE_UNAVAILABLE' });
    sandbox.setFaults({ script: [{ endpoint: '/viewCustomer', fault: 'error', times: 1 }] });
    expect((await post('/viewCustomer', { entityId: '676765' })).status).toBe(500);
  });

  it('outage: everything in scope answers 503 for the window, which opens at the first call, then DCMS recovers', async () => {
    // The outage clock is the sandbox's performance.now(): faked, it moves only when the test moves it.
    // It starts where the real one is, so the sandbox's rate limit does not see time go back.
    const realNow = performance.now();
    vi.useFakeTimers({ toFake: ['performance'] });
    onTestFinished(() => void vi.useRealTimers());
    vi.advanceTimersByTime(realNow - performance.now());
    sandbox.setFaults({ outage: { durationMs: 500 } });
    vi.advanceTimersByTime(300); // time before the first call is not spent in the window
    const first = await card('676765');
    expect(first.status).toBe(503);
    expect(exceptionOf(first).errorCode).toBe('service.unavailable');
    expect((await post('/kit-manager/fetchKitsByEntityId', { entityId: '676765' })).status).toBe(503);
    expect(sandbox.stats().tenants[TENANT]?.kits).toBe(0);
    vi.advanceTimersByTime(499);
    expect((await card('676765')).status).toBe(503);
    vi.advanceTimersByTime(1);
    expect((await card('676765')).status).toBe(200);
    expect(sandbox.stats().calls['/registerCard']?.['fault:error']).toBeGreaterThanOrEqual(1);
  });

  it('ackWithoutCommit: deliveryStatus answers success per kit and applies nothing', async () => {
    const kitNo = kitsOf(await card('676765'))[0]!.kitNo as string;
    sandbox.setFaults({ script: [{ endpoint: '/inventory/update/deliveryStatus', fault: 'ackWithoutCommit', times: 1 }] });
    const answer = await post('/inventory/update/deliveryStatus', [{ deliveryStatus: 'DELIVERED', kitNo: [kitNo, '234'] }]);
    expect(answer.status).toBe(200);
    expect((answer.body.result as Json[]).map((item) => item.status)).toEqual(['200', '500']);
    expect(sandbox.kit(TENANT, kitNo)?.deliveryStatus).toBeNull();
    await post('/inventory/update/deliveryStatus', [{ deliveryStatus: 'DELIVERED', kitNo: [kitNo] }]);
    expect(sandbox.kit(TENANT, kitNo)?.deliveryStatus).toBe('DELIVERED');
    expect(() => sandbox.setFaults({ script: [{ endpoint: '/registerCard', fault: 'ackWithoutCommit', times: 1 }] })).toThrow();
  });
});

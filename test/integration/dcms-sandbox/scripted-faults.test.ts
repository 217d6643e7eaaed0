/** Faults scripted per endpoint: answers that apply nothing, and answers lost after the change was applied. */
import { beforeEach, describe, expect, it } from 'vitest';
import { customer, TENANT, type Json } from './fixtures.js';
import { exceptionOf, expectEnvelope, sandbox, post, card, useDcmsSandbox } from './sandbox-setup.js';

useDcmsSandbox();

beforeEach(async () => {
  await post('/register', customer('676765'));
});

describe('DCMS sandbox: scripted faults that apply nothing', () => {
  it('error: HTTP 500, nothing applied', async () => {
    sandbox.setFaults({ script: [{ endpoint: '/registerCard', fault: 'error', times: 2 }] });
    for (let i = 0; i < 2; i += 1) {
      const answer = await card('676765');
      expect(answer.status).toBe(500);
      expectEnvelope(answer);
      expect(exceptionOf(answer)).toMatchObject({ errorCode: 'internal.server.error', httpStatus: 'INTERNAL_SERVER_ERROR' });
    }
    expect(sandbox.stats().tenants[TENANT]?.kits).toBe(0);
    expect((await card('676765')).status).toBe(200);
    expect(sandbox.stats().calls['/registerCard']).toEqual({ 'fault:error': 2, '200': 1 });
  });

  it('only hits the scripted endpoint', async () => {
    sandbox.setFaults({ script: [{ endpoint: '/registerCard', fault: 'error', times: 1 }] });
    expect((await post('/viewCustomer', { entityId: '676765' })).status).toBe(200);
    expect((await card('676765')).status).toBe(500);
  });

  it('throttle: HTTP 429 with Retry-After, nothing applied', async () => {
    sandbox.setFaults({ script: [{ endpoint: '/registerCard', fault: 'throttle', times: 1 }] });
    const answer = await card('676765');
    expect(answer.status).toBe(429);
    expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(exceptionOf(answer).errorCode).toBe('rate.limit.exceeded');
    expect(sandbox.stats().tenants[TENANT]?.kits).toBe(0);
  });

  it('hang: never answers, the client times out, nothing applied', async () => {
    sandbox.setFaults({ script: [{ endpoint: '/registerCard', fault: 'hang', times: 1 }] });
    const started = Date.now();
    await expect(post('/registerCard', { entityId: '676765', kitInfo: [{ accountNo: '1', cardType: 'PHYSICAL' }] }, { signal: AbortSignal.timeout(300) })).rejects.toMatchObject({
      name: 'TimeoutError',
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(sandbox.stats().tenants[TENANT]?.kits).toBe(0);
    expect(sandbox.stats().calls['/registerCard']).toEqual({ 'fault:hang': 1 });
    expect((await card('676765')).status).toBe(200);
  });

  it('uses script entries up in order', async () => {
    sandbox.setFaults({
      script: [
        { endpoint: '/viewCustomer', fault: 'throttle', times: 1 },
        { endpoint: '/viewCustomer', fault: 'error', times: 1 },
      ],
    });
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await post('/viewCustomer', { entityId: '676765' })).status);
    expect(statuses).toEqual([429, 500, 200]);
  });
});

describe('DCMS sandbox: scripted faults that apply the change and lose the answer', () => {
  it('commitThenFail: the card is issued, the answer is a 500', async () => {
    sandbox.setFaults({ script: [{ endpoint: '/registerCard', fault: 'commitThenFail', times: 1 }] });
    const answer = await card('676765');
    expect(answer.status).toBe(500);
    expect(answer.body.result).toBeNull();
    const kits = await post('/kit-manager/fetchKitsByEntityId', { entityId: '676765' });
    expect(kits.body.result).toHaveLength(1);
    expect((kits.body.result as Json[])[0]).toMatchObject({ accountNo: '8642135', cardType: 'PHYSICAL' });
  });

  it('commitThenDrop: the socket is destroyed after the customer is registered', async () => {
    sandbox.setFaults({ script: [{ endpoint: '/register', fault: 'commitThenDrop', times: 1 }] });
    await expect(post('/register', customer('1'))).rejects.toThrow(TypeError);
    expect((await post('/viewCustomer', { entityId: '1' })).status).toBe(200);
    expect(exceptionOf(await post('/register', customer('1'))).errorCode).toBe('entity.already.exists');
    expect(sandbox.stats().calls['/register']).toMatchObject({ 'fault:commitThenDrop': 1 });
  });

  it('a blind retry after commitThenFail issues a duplicate card, and it is counted', async () => {
    sandbox.setFaults({ script: [{ endpoint: '/registerCard', fault: 'commitThenFail', times: 1 }] });
    expect((await card('676765')).status).toBe(500);
    expect((await card('676765')).status).toBe(200);
    expect(sandbox.stats().duplicateCards).toBe(1);
  });
});

/** The sandbox's admin API (`/__admin/...`): faults, stats and reset. */
import { describe, expect, it } from 'vitest';
import { dcmsSandboxStatsSchema } from '../../../sandbox/dcms/server.js';
import { customer, type Json } from './fixtures.js';
import { sandbox, url, post, card, useDcmsSandbox } from './sandbox-setup.js';

useDcmsSandbox();

describe('DCMS sandbox: admin endpoints', () => {
  const admin = (path: string, body?: unknown) =>
    fetch(`${url}/__admin/${path}`, {
      method: body === undefined && path === 'stats' ? 'GET' : 'POST',
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });

  it('sets faults, validating the body', async () => {
    const accepted = await admin('faults', { script: [{ endpoint: '/viewCustomer', fault: 'error', times: 1 }] });
    expect(accepted.status).toBe(200);
    expect((await post('/viewCustomer', { entityId: 'x' })).status).toBe(500);

    for (const bad of [{ errorRate: 2 }, { errorRat: 0.1 }, { endpoints: ['/nope'] }, { script: [{ endpoint: '/register', fault: 'boom', times: 1 }] }, { errorRate: 0.6, throttleRate: 0.6 }, [1]]) {
      const refused = await admin('faults', bad);
      expect(refused.status, JSON.stringify(bad)).toBe(400);
      expect(((await refused.json()) as Json).error).toBe('invalid.fault.settings');
    }
    expect((await post('/viewCustomer', { entityId: 'x' })).status).toBe(400); // the valid settings were kept, script used up
  });

  it('reports stats matching stats()', async () => {
    await post('/register', customer('676765'));
    await card('nobody');
    const body = dcmsSandboxStatsSchema.parse(await (await admin('stats')).json());
    expect(body).toEqual(sandbox.stats());
    expect(body.calls).toEqual({ '/register': { '200': 1 }, '/registerCard': { '400:CUS001': 1 } });
  });

  it('resets data, stats and faults', async () => {
    await post('/register', customer('676765'));
    sandbox.setFaults({ errorRate: 1 });
    expect((await admin('reset')).status).toBe(200);
    expect(sandbox.stats()).toEqual({ calls: {}, tenants: {}, duplicateCards: 0, deliveryUpdates: 0, deliveryKitFailures: 0, pendingCalls: 0 });
    expect((await post('/register', customer('676765'))).status).toBe(200);
  });

  it('is never faulted', async () => {
    sandbox.setFaults({ errorRate: 1 });
    expect((await admin('stats')).status).toBe(200);
  });
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startDcmsSandbox, type RunningDcmsSandbox } from '../../sandbox/dcms/server.js';
import { customerCreatedData } from '../../shared/contracts/index.js';
import { DcmsClient, type DcmsCallInfo } from '../../shared/dcms/client.js';
import { toRegisterCard, toRegisterCustomer } from '../../shared/dcms/mapping.js';
import { customerCreated } from '../support/events.js';

const ACME = { tenant: 'ACME_BANK', business: 'ACME_BANK', businessId: '687', businessType: 'ACME_BANK', rateLimit: { perSecond: 100, burst: 200 }, verifyBeforeFirstIssue: true };
const FAST = { maxRetries: 3, baseDelayMs: 5, maxDelayMs: 20, minAttemptMs: 0 };
const customer = (entityId: string, extra: Record<string, unknown> = {}) => toRegisterCustomer(customerCreatedData.parse({ ...customerCreated(entityId).data, ...extra }), ACME);

/** One sandbox, with authentication on, for the file; a fresh client and call log for each test. */
let sandbox: RunningDcmsSandbox;
let calls: DcmsCallInfo[];
let client: DcmsClient;
beforeAll(async () => {
  sandbox = await startDcmsSandbox({ port: 0, auth: { users: { api_user: 'secret' } } });
});
afterAll(() => sandbox.close());
beforeEach(() => {
  sandbox.reset();
  calls = [];
  client = new DcmsClient({
    baseUrl: sandbox.url,
    credentials: async () => ({ username: 'api_user', password: 'secret' }),
    retry: FAST,
    timeoutsMs: { registerCard: 500, register: 500, viewCustomer: 500, deliveryStatus: 500 },
    onCall: (call) => calls.push(call),
  });
});

describe('DcmsClient against the DCMS sandbox', () => {
  it('registers a customer with an insta-card, issues a card, views both and updates delivery per kit', async () => {
    const registered = await client.register('ACME_BANK', customer('676765', { card: { accountNo: '8642135', cardType: 'VIRTUAL', deliveryAddress: 'PERMANENT' } }));
    expect(registered.kitInfo).toHaveLength(1);
    const card = await client.registerCard('ACME_BANK', toRegisterCard({ entityId: '676765', accountNo: '8642135', cardType: 'PHYSICAL', deliveryAddress: 'PERMANENT' }));
    expect(card.kitInfo[0]).toMatchObject({ accountNo: '8642135', cardType: 'PHYSICAL', cardStatus: 'INACTIVE', networkType: 'RUPAY', bin: '608040' });
    expect(card.kitInfo[0]?.cardNumber).toMatch(/^608040X{6}\d{4}$/);

    const view = await client.viewCustomer('ACME_BANK', '676765');
    expect(view?.kitInfo.map((k) => k.cardType).sort()).toEqual(['PHYSICAL', 'VIRTUAL']);
    expect(await client.viewCustomer('ACME_BANK', 'nobody')).toBeNull();

    const results = await client.updateDeliveryStatus('ACME_BANK', [{ deliveryStatus: 'DELIVERED', kitNo: [card.kitInfo[0]!.kitNo, '234'] }]);
    expect(results[0]).toMatchObject({ kitNo: card.kitInfo[0]!.kitNo, result: true });
    expect(results[1]?.exception?.errorCode).toBe('MCC007');
    // One authentication served every call.
    expect(calls.filter((c) => c.operation === 'authenticate')).toHaveLength(1);
  });

  it('keeps a 17-digit account number exact on the wire and back', async () => {
    await client.register('ACME_BANK', customer('C17', { accounts: [{ accountNo: '55555555555556782', type: 'SAVING', currency: 'INR' }] }));
    const card = await client.registerCard('ACME_BANK', toRegisterCard({ entityId: 'C17', accountNo: '55555555555556782', cardType: 'VIRTUAL', deliveryAddress: 'PERMANENT' }));
    expect(card.kitInfo[0]?.accountNo).toBe('55555555555556782');
  });

  it('maps both error-code styles onto the taxonomy', async () => {
    await expect(client.registerCard('ACME_BANK', toRegisterCard({ entityId: 'ghost', accountNo: '1', cardType: 'VIRTUAL', deliveryAddress: 'PERMANENT' }))).rejects.toMatchObject({
      name: 'IntegrationError',
      category: 'DependencyNotReady',
      code: 'CUS001',
      status: 400,
    });
    await client.register('ACME_BANK', customer('C1'));
    await expect(client.register('ACME_BANK', customer('C1'))).rejects.toMatchObject({ name: 'IntegrationError', category: 'Permanent', code: 'entity.already.exists' });
    await expect(client.register('ACME_BANK', { ...customer('C2'), accountInfo: [] })).rejects.toMatchObject({ name: 'IntegrationError', category: 'Permanent', code: 'invalid.input.request' });
  });
});

describe('DcmsClient against the DCMS sandbox: retries and unknown outcomes', () => {
  it('retries a 429 honouring Retry-After, and 5xx on reads, within 3 retries', async () => {
    sandbox.setFaults({ script: [{ endpoint: '/viewCustomer', fault: 'throttle', times: 1 }] });
    await client.register('ACME_BANK', customer('C3'));
    const started = Date.now();
    expect(await client.viewCustomer('ACME_BANK', 'C3')).not.toBeNull();
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    sandbox.setFaults({ script: [{ endpoint: '/viewCustomer', fault: 'error', times: 4 }] });
    await expect(client.viewCustomer('ACME_BANK', 'C3')).rejects.toMatchObject({ name: 'IntegrationError', category: 'Transient', status: 500 });
    expect(calls.filter((c) => c.operation === 'viewCustomer' && c.outcome.startsWith('500'))).toHaveLength(4);
  });

  it('sees commit-then-fail, dropped connections and hangs on writes as unknown outcomes, sent once', async () => {
    await client.register('ACME_BANK', customer('C4'));
    for (const fault of ['commitThenFail', 'commitThenDrop', 'hang'] as const) {
      sandbox.setFaults({ script: [{ endpoint: '/registerCard', fault, times: 1 }] });
      const before = calls.length;
      await expect(client.registerCard('ACME_BANK', toRegisterCard({ entityId: 'C4', accountNo: '8642135', cardType: 'VIRTUAL', deliveryAddress: 'PERMANENT' }))).rejects.toMatchObject({
        name: 'IntegrationError',
        category: 'UnknownOutcome',
      });
      expect(calls.slice(before).filter((c) => c.operation === 'registerCard')).toHaveLength(1);
    }
    expect(calls.filter((c) => c.outcome === 'TIMEOUT')).toHaveLength(1);
  });

  it('authenticates again once on 401, and gives up as Permanent when the new token is refused too', async () => {
    let corruptNext = 0;
    const corrupting: typeof fetch = (input, init) => {
      const headers = new Headers(init?.headers);
      if (corruptNext > 0 && headers.has('authorization')) {
        corruptNext -= 1;
        headers.set('authorization', 'Bearer not-a-token');
      }
      return fetch(input, { ...init, headers });
    };
    const tampered = new DcmsClient({ baseUrl: sandbox.url, credentials: async () => ({ username: 'api_user', password: 'secret' }), retry: FAST, fetch: corrupting, onCall: (c) => calls.push(c) });
    await tampered.register('ACME_BANK', customer('C5'));
    corruptNext = 1;
    expect(await tampered.viewCustomer('ACME_BANK', 'C5')).not.toBeNull();
    expect(calls.filter((c) => c.operation === 'authenticate')).toHaveLength(2);
    corruptNext = 2;
    await expect(tampered.viewCustomer('ACME_BANK', 'C5')).rejects.toMatchObject({ name: 'IntegrationError', category: 'Permanent', status: 401 });
  });
});

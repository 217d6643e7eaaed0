/**
 * Card91Client over real HTTP against the Card91 sandbox, with our auth-URL webhook handler served
 * as API Gateway would invoke it.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DependencyBreaker } from '../../shared/resilience/breaker.js';
import { FailureCategory } from '../../shared/resilience/errors.js';
import { CIRCUIT_OPEN } from '../../shared/resilience/breaker.js';
import { mintSdkAuthToken } from '../../shared/card91/index.js';
import type { CardLimitInput } from '../../shared/card91/index.js';
import { AED_LIMIT_LINE, ASHA, ROHAN } from '../support/card91-fixtures.js';
import { newSecret, startCard91Stack, type Card91Stack } from './card91-harness.js';

const aedLimits = (overrides: Partial<CardLimitInput> = {}): CardLimitInput => ({ ...AED_LIMIT_LINE, ...overrides });

let stack: Card91Stack;

beforeAll(async () => {
  stack = await startCard91Stack();
});

afterAll(async () => {
  await stack.close();
});

beforeEach(() => {
  stack.sandbox.reset();
  stack.webhookSecrets = [stack.signing.secret];
  stack.calls.length = 0;
  stack.outcomes.length = 0;
});

const callsTo = (method: string) => stack.sandbox.stats().calls[method] ?? {};

describe('M1 login through our auth-URL webhook', () => {
  it('logs in with a valid sdkAuthToken and returns the customer detail', async () => {
    const customer = await stack.client().loginWithToken(ASHA.mobile);

    expect(customer.id).toBe(ASHA.customerId);
    expect(customer.mobile).toBe(ASHA.mobile);
    expect(customer.dob).toBe('2001-03-17'); // DD-MM-YYYY on the wire
    expect(customer.passportValidity).toBe('2040-03-17');
    expect(customer.lrsLimit).toBe('250000'); // 250000.00 on the wire, never a float
    expect(customer.documents[0]?.id).toBe('117'); // a number on the wire
    expect(customer.cardPrograms[0]?.accountId).toBe(ASHA.accountId);
    expect(customer.cardPrograms[0]?.cards.map((card) => [card.id, card.state])).toEqual([
      [ASHA.activeCard, 'ACTIVE'],
      [ASHA.inactiveVirtualCard, 'INACTIVE'],
      [ASHA.blockedCard, 'BLOCKED'],
    ]);
    expect(stack.outcomes).toEqual([{ outcome: 'accepted' }]);
    expect(stack.sandbox.stats().webhook).toMatchObject({ accepted: 1, refused: 0, withBusinessToken: 0 });
  });

  it.each([
    ['expired', () => mintSdkAuthToken({ mobile: ASHA.mobile, secret: stack.signing.secret, ttlSeconds: 60, now: Date.now() - 120_000 })],
    ['forged', () => mintSdkAuthToken({ mobile: ASHA.mobile, secret: { kid: stack.signing.secret.kid, secret: newSecret('x').secret } })],
    ['mismatch', () => mintSdkAuthToken({ mobile: ROHAN.mobile, secret: stack.signing.secret })],
  ] as const)('refuses a %s token: the webhook answers 401, Card91 refuses the login', async (reason, mint) => {
    const client = stack.client({ sdkAuthTokenProvider: async () => mint() });

    await expect(client.loginWithToken(ASHA.mobile)).rejects.toMatchObject({ name: 'IntegrationError', category: FailureCategory.Permanent, code: 'C91_401' });

    expect(stack.outcomes).toEqual([{ outcome: 'rejected', reason }]);
    expect(callsTo('loginWithToken')).toEqual({ '401': 1 }); // a refused login is not retried
  });

  it('accepts tokens under either secret during a rotation, and refuses the retired one afterwards', async () => {
    const previous = stack.signing.secret;
    const next = newSecret('2027-01');
    stack.webhookSecrets = [next, previous];

    await expect(stack.client({ sdkAuthTokenProvider: async (mobile) => mintSdkAuthToken({ mobile, secret: previous }) }).loginWithToken(ASHA.mobile)).resolves.toBeDefined();
    await expect(stack.client({ sdkAuthTokenProvider: async (mobile) => mintSdkAuthToken({ mobile, secret: next }) }).loginWithToken(ASHA.mobile)).resolves.toBeDefined();

    stack.webhookSecrets = [next];
    const withPrevious = stack.client({ sdkAuthTokenProvider: async (mobile) => mintSdkAuthToken({ mobile, secret: previous }) });
    await expect(withPrevious.loginWithToken(ASHA.mobile)).rejects.toMatchObject({ name: 'IntegrationError', code: 'C91_401' });
    expect(stack.outcomes.map((outcome) => outcome.outcome)).toEqual(['accepted', 'accepted', 'rejected']);
  });

  it('sends the X-C91-B-Token business token from the webhook when one is configured', async () => {
    const withBusinessToken = await startCard91Stack({ businessToken: 'eyJhbGciOiJIUzUxMiJ9.e30.sig' });
    try {
      await withBusinessToken.client().loginWithToken(ASHA.mobile);
      expect(withBusinessToken.sandbox.stats().webhook).toMatchObject({ accepted: 1, withBusinessToken: 1 });
    } finally {
      await withBusinessToken.close();
    }
  });

  it('does not call Card91 when our own token provider fails, and says so with a transient code', async () => {
    const client = stack.client({
      sdkAuthTokenProvider: async () => {
        throw new Error('secret store unavailable');
      },
      retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 },
    });

    await expect(client.getCustomerDetail(ASHA.mobile)).rejects.toMatchObject({ name: 'IntegrationError', category: FailureCategory.Transient, code: 'C91_SDK_AUTH_TOKEN_UNAVAILABLE' });

    expect(stack.sandbox.stats().calls).toEqual({});
  });

  it('answers 502 (transient, retried) when the webhook cannot be reached', async () => {
    const unreachable = await startCard91Stack({ sandbox: { authWebhookUrl: 'http://127.0.0.1:9/unreachable', webhookTimeoutMs: 500 } });
    try {
      const client = unreachable.client({ retry: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 1 } });
      await expect(client.loginWithToken(ASHA.mobile)).rejects.toMatchObject({ name: 'IntegrationError', category: FailureCategory.Transient, code: 'C91_502' });
      expect(unreachable.sandbox.stats().calls.loginWithToken).toEqual({ '502': 2 });
    } finally {
      await unreachable.close();
    }
  });
});

describe('session: the customer token', () => {
  it('logs in once and reuses the cached Jwt_token for later calls', async () => {
    const client = stack.client();
    await client.getCustomerDetail(ASHA.mobile);
    await client.getCurrencyBalances(ASHA.mobile, ASHA.accountId);
    await client.getCardSettings(ASHA.mobile, ASHA.activeCard);

    expect(callsTo('loginWithToken')).toEqual({ '200': 1 });
  });

  it('logs in again once on a 401 and repeats the call', async () => {
    const client = stack.client();
    await client.getCardSettings(ASHA.mobile, ASHA.activeCard);
    stack.sandbox.revokeTokens();

    const settings = await client.getCardSettings(ASHA.mobile, ASHA.activeCard);

    expect(settings.limits).toHaveLength(2);
    expect(callsTo('loginWithToken')).toEqual({ '200': 2 });
    expect(callsTo('getCardSettings')).toEqual({ '200': 2, '401': 1 });
  });

  it('repeats a write after a 401 too: the 401 proves it was not applied', async () => {
    const client = stack.client();
    await client.getCardSettings(ASHA.mobile, ASHA.activeCard);
    stack.sandbox.revokeTokens();

    await client.setCardLock(ASHA.mobile, ASHA.activeCard, 'LOCKED');

    expect(stack.sandbox.card(ASHA.activeCard)?.state).toBe('LOCKED');
    expect(callsTo('setCardLock')).toEqual({ '200': 1, '401': 1 });
  });

  it('gives up with Permanent C91_401 when the fresh token is refused too (exactly one re-login)', async () => {
    const expiring = await startCard91Stack({ sandbox: { tokenTtlSeconds: 0 } });
    try {
      await expect(expiring.client().getCardSettings(ASHA.mobile, ASHA.activeCard)).rejects.toMatchObject({ name: 'IntegrationError', category: FailureCategory.Permanent, code: 'C91_401' });
      expect(expiring.sandbox.stats().calls).toMatchObject({ loginWithToken: { '200': 2 }, getCardSettings: { '401': 2 } });
    } finally {
      await expiring.close();
    }
  });

  it('scopes the token to its customer: another customer’s card or account is 403', async () => {
    const client = stack.client();

    const forbidden = { name: 'IntegrationError', code: 'C91_403' };
    await expect(client.getCardSettings(ASHA.mobile, ROHAN.card)).rejects.toMatchObject(forbidden);
    await expect(client.blockCard(ASHA.mobile, ROHAN.card, 'STOLEN')).rejects.toMatchObject(forbidden);
    await expect(client.getTransactions(ASHA.mobile, { accountId: ROHAN.accountId })).rejects.toMatchObject(forbidden);
    await expect(client.getTrips(ASHA.mobile, { customerId: ROHAN.customerId })).rejects.toMatchObject(forbidden);
    expect(stack.sandbox.card(ROHAN.card)?.state).toBe('ACTIVE');
  });

  it('reports an unknown card or account as Permanent C91_404', async () => {
    const client = stack.client();
    await expect(client.getCardSettings(ASHA.mobile, 'CID000000000000000ID00000000')).rejects.toMatchObject({ name: 'IntegrationError', category: FailureCategory.Permanent, code: 'C91_404' });
    await expect(client.getCurrencyBalances(ASHA.mobile, '111111111111')).rejects.toMatchObject({ name: 'IntegrationError', code: 'C91_404' });
  });
});

describe('M2-M4, M9, M10: reads and the documented inconsistencies', () => {
  it('M2 re-reads the profile in the same shape as the login', async () => {
    const client = stack.client();
    const atLogin = await client.loginWithToken(ASHA.mobile);
    expect(await client.getCustomerDetail(ASHA.mobile)).toEqual(atLogin);
  });

  it('M3 reads balances sent as strings ("0.00") and priority as a string', async () => {
    const balances = await stack.client().getCurrencyBalances(ASHA.mobile, ASHA.accountId);
    expect(balances).toEqual({
      accountCurrencyBalanceList: [
        { balance: '1520.75', currencyCode: 'AED', priority: '1', isActive: 'ACTIVE' },
        { balance: '0', currencyCode: 'USD', priority: '2', isActive: 'OVERALL_FREEZE' },
      ],
      splitTxnAllowed: false,
    });
  });

  it('M4 reads a page: number ids become strings, amounts exact decimals, "YYYY-MM-DD HH:mm:ss" dates ISO', async () => {
    const page = await stack.client().getTransactions(ASHA.mobile, { accountId: ASHA.accountId, page: 2, perPage: 10 });

    expect(page).toMatchObject({ currentPage: 2, totalPages: 3, totalRecords: 23, recordsCurrentPage: 10, accountId: ASHA.accountId });
    const first = page.transactions[0]!;
    expect(first.id).toBe('798'); // JSON number 798
    expect(first.amount).toBe('380.9'); // 380.90 on the wire, canonical decimal string
    expect(first.txnDate).toBe('2024-07-11T22:10:50.000+05:30');
    expect(first.switch_rc).toBeNull();
    expect(first.entityId).toBe(ASHA.accountId);
  });

  it('M4 as an async iterator walks every page to the end', async () => {
    const client = stack.client();
    const ids: string[] = [];
    for await (const transaction of client.iterateTransactions(ASHA.mobile, { accountId: ASHA.accountId, perPage: 10 })) ids.push(transaction.txnId);

    expect(ids).toHaveLength(23);
    expect(new Set(ids).size).toBe(23);
    expect(callsTo('getTransactions')).toEqual({ '200': 3 });
  });

  it('accepts account ids printed as JSON numbers (the M3/M4 tables say int) and keeps every digit', async () => {
    const client = stack.client();
    const page = await client.getTransactions(ROHAN.mobile, { accountId: ROHAN.accountId });
    expect(page.accountId).toBe(ROHAN.accountId);
    expect(page.transactions.map((transaction) => transaction.entityId)).toEqual([ROHAN.accountId, ROHAN.accountId, ROHAN.accountId]);
    expect((await client.getCurrencyBalances(ROHAN.mobile, ROHAN.accountId)).accountCurrencyBalanceList[0]?.balance).toBe('99.1');
  });

  it('M9 reads loads under /mctc/v1/cards/ with "YYYY-MM-DDTHH:mm:ss.SSS" dates, and iterates every page', async () => {
    const client = stack.client();
    const page = await client.getCardLoadHistory(ASHA.mobile, { accountId: ASHA.accountId, page: 1, perPage: 3 });
    expect(page).toMatchObject({ currentPage: 1, totalPages: 3, totalRecords: 7, recordsCurrentPage: 3 });
    expect(page.cardLoadList[0]).toMatchObject({ type: 'LOAD', fxAmount: '713', txnDate: '2024-09-10T09:00:00.100+05:30' });

    const loads = [];
    for await (const load of client.iterateCardLoads(ASHA.mobile, { accountId: ASHA.accountId, perPage: 3 })) loads.push(load);
    expect(loads).toHaveLength(7);
    expect(loads.filter((load) => load.type === 'ENCASH').every((load) => load.cardLoadId.startsWith('ENCSH'))).toBe(true);
  });

  it('M10 reads the bare-array trip list from path parameters, dates as YYYY-MM-DD, trips of other orgs included', async () => {
    const client = stack.client();
    const trips = await client.getTrips(ASHA.mobile, { customerId: ASHA.customerId });

    expect(trips).toHaveLength(5);
    expect(trips[0]).toEqual({
      id: null,
      mctcTripId: 'TRIP240716125517805ID13084224',
      status: 'APPROVED',
      customerId: ASHA.customerId,
      tripStartDate: '2024-12-12',
      tripEndDate: '2024-12-13',
      travelPurposeCode: 'TP01',
      orgId: 'OID240605060125057ID16561311',
      destinationCountryCode: 'weqwe',
      tripName: 'Trip to weqwe (Business Travel)',
      maxLoadLimit: '13000',
    });
    expect(new Set(trips.map((trip) => trip.orgId)).size).toBe(2);
    expect((await client.getTrips(ASHA.mobile, { customerId: ASHA.customerId, page: 3, perPage: 2 })).map((trip) => trip.mctcTripId)).toEqual([
      'TRIP240906101637354ID19777390',
    ]);
  });
});

describe('M5-M8: card controls', () => {
  it('M5 reads limits and ceilings (0.0000, bare 0 and 50000.0000 alike)', async () => {
    const settings = await stack.client().getCardSettings(ASHA.mobile, ASHA.activeCard);
    expect(settings.limits[0]).toEqual({
      currency: 'AED',
      perAtmTxnLimit: '0',
      perOnlineTxnLimit: '0',
      perPosTxnLimit: '50000',
      perContactlessTxnLimit: '0',
      maxPerAtmTxnLimit: '90',
      maxPerOnlineTxnLimit: '0',
      maxPerPosTxnLimit: '50000',
      maxPerContactlessTxnLimit: '0',
      isContactLessAllowed: false,
      isAtmLimitEnabled: false,
      isOnlineLimitEnabled: false,
      isPosLimitEnabled: true,
    });
  });

  it('M6 sets nested limits[] (decimals exact) and M5 reads them back', async () => {
    const client = stack.client();
    await client.setCardSettings(ASHA.mobile, ASHA.activeCard, [aedLimits({ perAtmTxnLimit: '80.50' })]);

    const aed = (await client.getCardSettings(ASHA.mobile, ASHA.activeCard)).limits.find((line) => line.currency === 'AED');
    expect(aed).toMatchObject({ perAtmTxnLimit: '80.5', isAtmLimitEnabled: true, perPosTxnLimit: '50000' });
  });

  it('M6 refuses a limit above its maxPer* ceiling (400) and changes nothing', async () => {
    const client = stack.client();
    await expect(client.setCardSettings(ASHA.mobile, ASHA.activeCard, [aedLimits({ perAtmTxnLimit: '90.01' })])).rejects.toMatchObject({
      name: 'IntegrationError',
      category: FailureCategory.Permanent,
      code: 'C91_400',
    });

    expect(callsTo('setCardSettings')).toEqual({ '400': 1 }); // not retried
    expect(stack.sandbox.card(ASHA.activeCard)?.limits[0]?.perAtmTxnLimit).toBe('0');
  });

  it('M8 toggles LOCKED / UNLOCKED and restores the state the card had before the freeze', async () => {
    const client = stack.client();
    await client.setCardLock(ASHA.mobile, ASHA.activeCard, 'LOCKED');
    expect(stack.sandbox.card(ASHA.activeCard)?.state).toBe('LOCKED');
    await client.setCardLock(ASHA.mobile, ASHA.activeCard, 'UNLOCKED');
    expect(stack.sandbox.card(ASHA.activeCard)?.state).toBe('ACTIVE');

    await client.setCardLock(ASHA.mobile, ASHA.inactiveVirtualCard, 'LOCKED');
    await client.setCardLock(ASHA.mobile, ASHA.inactiveVirtualCard, 'UNLOCKED');
    const cards = (await client.getCustomerDetail(ASHA.mobile)).cardPrograms[0]?.cards;
    expect(cards?.find((card) => card.id === ASHA.inactiveVirtualCard)?.state).toBe('INACTIVE');
  });

  it('M7 blocks permanently: every later status or limit change is a Permanent C91_400', async () => {
    const client = stack.client();
    await client.blockCard(ASHA.mobile, ASHA.activeCard, 'LOST');
    expect(stack.sandbox.card(ASHA.activeCard)).toMatchObject({ state: 'BLOCKED', blockedReason: 'LOST' });

    for (const change of [
      client.setCardLock(ASHA.mobile, ASHA.activeCard, 'UNLOCKED'),
      client.setCardLock(ASHA.mobile, ASHA.activeCard, 'LOCKED'),
      client.blockCard(ASHA.mobile, ASHA.activeCard, 'STOLEN'),
      client.setCardSettings(ASHA.mobile, ASHA.activeCard, [aedLimits()]),
    ]) {
      await expect(change).rejects.toMatchObject({ name: 'IntegrationError', category: FailureCategory.Permanent, code: 'C91_400' });
    }
    expect(stack.sandbox.card(ASHA.activeCard)).toMatchObject({ state: 'BLOCKED', blockedReason: 'LOST' });
  });
});

describe('retries (transient only) and unknown outcomes on writes', () => {
  it('retries a read on 503 and succeeds', async () => {
    stack.sandbox.setFaults({ script: [{ path: 'getCardSettings', fault: 'error', times: 2 }] });
    await stack.client().getCardSettings(ASHA.mobile, ASHA.activeCard);

    expect(callsTo('getCardSettings')).toEqual({ 'fault:error': 2, '200': 1 });
    expect(stack.calls.filter((call) => call.method === 'getCardSettings').map((call) => call.status)).toEqual([503, 503, 200]);
  });

  it('gives up after maxRetries with a Transient error', async () => {
    stack.sandbox.setFaults({ script: [{ path: 'getCardSettings', fault: 'error', times: 10, status: 502 }] });
    await expect(stack.client().getCardSettings(ASHA.mobile, ASHA.activeCard)).rejects.toMatchObject({ name: 'IntegrationError', category: FailureCategory.Transient, code: 'C91_502', status: 502 });

    expect(callsTo('getCardSettings')).toEqual({ 'fault:error': 4 });
  });

  it('retries a read that timed out', async () => {
    stack.sandbox.setFaults({ script: [{ path: '/mctc/v1/customer/limits/CARD/:cardId', fault: 'hang', times: 1 }] });
    await stack.client({ timeoutMs: 300 }).getCardSettings(ASHA.mobile, ASHA.activeCard);

    expect(stack.calls.filter((call) => call.method === 'getCardSettings').map((call) => call.status)).toEqual(['timeout', 200]);
  });

  it('retries the login on 5xx (it changes no card)', async () => {
    stack.sandbox.setFaults({ script: [{ path: '/mctc/v1/customer/login/token', fault: 'error', times: 1 }] });
    await stack.client().loginWithToken(ASHA.mobile);
    expect(callsTo('loginWithToken')).toEqual({ 'fault:error': 1, '200': 1 });
  });

  it('honours Retry-After on a 429', async () => {
    stack.sandbox.setFaults({ script: [{ path: 'getTransactions', fault: 'throttle', times: 1 }], retryAfterSeconds: 1 });
    const started = Date.now();
    await stack.client().getTransactions(ASHA.mobile, { accountId: ASHA.accountId });

    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(callsTo('getTransactions')).toEqual({ 'fault:throttle': 1, '200': 1 });
  });

  it('backs off when the per-token rate limit answers 429', async () => {
    const limited = await startCard91Stack({ sandbox: { rateLimit: { perSecond: 2, burst: 1 } } });
    try {
      const client = limited.client();
      await client.getCardSettings(ASHA.mobile, ASHA.activeCard);
      await client.getCardSettings(ASHA.mobile, ASHA.activeCard);
      expect(limited.sandbox.stats().calls.getCardSettings).toEqual({ '200': 2, '429': 1 });
    } finally {
      await limited.close();
    }
  });

  it('retries a write on 429 and 503: both prove the change was not applied', async () => {
    stack.sandbox.setFaults({
      retryAfterSeconds: 0,
      script: [
        { path: 'blockCard', fault: 'throttle', times: 1 },
        { path: 'blockCard', fault: 'error', times: 1, status: 503 },
      ],
    });
    await stack.client().blockCard(ASHA.mobile, ASHA.activeCard, 'STOLEN');

    expect(callsTo('blockCard')).toEqual({ 'fault:throttle': 1, 'fault:error': 1, '200': 1 });
    expect(stack.sandbox.card(ASHA.activeCard)?.state).toBe('BLOCKED');
  });

  it.each([
    ['a 500', { fault: 'commitThenFail' }, 'C91_500', 'fault:commitThenFail'],
    ['a dropped connection', { fault: 'commitThenDrop' }, 'C91_NETWORK', 'fault:commitThenDrop'],
  ] as const)('does not retry a write answered by %s after it was applied: UnknownOutcome, reconciled by reading', async (_what, fault, code, outcome) => {
    stack.sandbox.setFaults({ script: [{ path: 'setCardSettings', times: 1, ...fault }] });
    const client = stack.client();

    await expect(client.setCardSettings(ASHA.mobile, ASHA.activeCard, [aedLimits()])).rejects.toMatchObject({ name: 'IntegrationError', category: FailureCategory.UnknownOutcome, code });

    expect(callsTo('setCardSettings')).toEqual({ [outcome]: 1 });
    const aed = (await client.getCardSettings(ASHA.mobile, ASHA.activeCard)).limits.find((line) => line.currency === 'AED');
    expect(aed).toMatchObject({ perAtmTxnLimit: '80', isAtmLimitEnabled: true });
  });

  it('does not retry a write that timed out: UnknownOutcome C91_TIMEOUT', async () => {
    stack.sandbox.setFaults({ script: [{ path: 'setCardLock', fault: 'hang', times: 1 }] });
    await expect(stack.client({ timeoutMs: 300 }).setCardLock(ASHA.mobile, ASHA.activeCard, 'LOCKED')).rejects.toMatchObject({
      name: 'IntegrationError',
      category: FailureCategory.UnknownOutcome,
      code: 'C91_TIMEOUT',
    });

    expect(callsTo('setCardLock')).toEqual({ 'fault:hang': 1 });
    expect(stack.calls.filter((call) => call.method === 'setCardLock').map((call) => call.status)).toEqual(['timeout']);
  });

  it('does not retry a write answered 500 before anything was applied either: the client cannot tell', async () => {
    stack.sandbox.setFaults({ script: [{ path: 'blockCard', fault: 'error', times: 1, status: 500 }] });
    await expect(stack.client().blockCard(ASHA.mobile, ASHA.activeCard, 'STOLEN')).rejects.toMatchObject({ name: 'IntegrationError', category: FailureCategory.UnknownOutcome, code: 'C91_500' });

    expect(stack.sandbox.card(ASHA.activeCard)?.state).toBe('ACTIVE');
  });

  it('stops calling through an open circuit breaker', async () => {
    stack.sandbox.setFaults({ script: [{ path: 'getCardSettings', fault: 'error', times: 10 }] });
    const breaker = new DependencyBreaker('card91', { failureRatio: 0.5, windowMs: 10_000, minimumCalls: 2, halfOpenAfterMs: 60_000, maxHalfOpenAfterMs: 60_000 });
    const client = stack.client({ breaker });

    await expect(client.getCardSettings(ASHA.mobile, ASHA.activeCard)).rejects.toMatchObject({ name: 'IntegrationError', code: CIRCUIT_OPEN });

    expect(breaker.isOpen).toBe(true);
    expect(callsTo('getCardSettings')).toEqual({ 'fault:error': 2 });
  });
});

describe('input validation and PII', () => {
  it('refuses invalid input before any HTTP call, as an InvalidEvent naming fields only', async () => {
    const client = stack.client();
    const invalid = { name: 'IntegrationError', category: FailureCategory.InvalidEvent, code: 'C91_INVALID_REQUEST' };
    await expect(client.getCardSettings('9876543210', ASHA.activeCard)).rejects.toMatchObject({ ...invalid, message: expect.not.stringContaining('9876543210') });
    await expect(client.blockCard(ASHA.mobile, '../admin', 'LOST')).rejects.toMatchObject(invalid);
    await expect(client.setCardSettings(ASHA.mobile, ASHA.activeCard, [aedLimits({ perAtmTxnLimit: '-1' })])).rejects.toMatchObject({
      ...invalid,
      message: expect.stringContaining('limits.0.perAtmTxnLimit'),
    });
    expect(stack.calls).toEqual([]);
  });

  it('keeps the mobile, tokens and bodies out of every error message', async () => {
    stack.sandbox.setFaults({ script: [{ path: 'getCustomerDetail', fault: 'error', times: 10 }] });
    const client = stack.client();
    const calls = [
      () => client.getCustomerDetail(ASHA.mobile),
      () => client.getCardSettings(ASHA.mobile, ROHAN.card),
      () => client.setCardLock(ASHA.mobile, ASHA.blockedCard, 'UNLOCKED'),
    ];
    for (const call of calls) {
      const failure = call();
      await expect(failure).rejects.toMatchObject({ name: 'IntegrationError', message: expect.stringMatching(/^Card91 \w+ failed: HTTP \d{3} \(C91_\d{3}\)$/) });
      await expect(failure).rejects.toMatchObject({ message: expect.not.stringContaining(ASHA.mobile) });
    }
  });
});

/**
 * The Card91 sandbox over raw HTTP: the response-code table, the wire quirks it reproduces, the
 * admin API and fault injection. (Client behaviour against it is in card91-client/.)
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildCard91Sandbox, startCard91Sandbox } from '../../sandbox/card91/index.js';
import { mintSdkAuthToken } from '../../shared/card91/index.js';
import { ASHA, ORG_ID, ROHAN } from '../support/card91-fixtures.js';
import { startCard91Stack, type Card91Stack } from './card91-harness.js';

let stack: Card91Stack;
let url: string;

beforeAll(async () => {
  stack = await startCard91Stack();
  url = stack.sandbox.url;
});

afterAll(async () => {
  await stack.close();
});

beforeEach(() => {
  stack.sandbox.reset();
});

const json = { 'content-type': 'application/json' };

async function login(mobile: string = ASHA.mobile): Promise<Response> {
  const sdkAuthToken = await mintSdkAuthToken({ mobile, secret: stack.signing.secret });
  return fetch(`${url}/mctc/v1/customer/login/token`, { method: 'POST', headers: json, body: JSON.stringify({ mobile, sdkAuthToken, orgId: ORG_ID }) });
}

async function bearer(mobile: string = ASHA.mobile): Promise<Record<string, string>> {
  const response = await login(mobile);
  return { authorization: `Bearer ${response.headers.get('jwt_token')}` };
}

describe('login (M1)', () => {
  it('answers the customer detail with the token in the Jwt_token header (JWT-shaped, with exp)', async () => {
    const response = await login();
    expect(response.status).toBe(200);

    const token = response.headers.get('jwt_token') ?? '';
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp: number };
    expect(claims.exp - Date.now() / 1_000).toBeGreaterThan(800);
    const text = await response.text();
    expect(text).toContain('"lrsLimit":250000.00');
    expect(text).toContain('"dob":"17-03-2001"');
    expect(text).toContain('"accountId":"767396723544"');
  });

  it('sends the webhook the auth-URL payload: the token as unique_id and the 91-prefixed mobile', async () => {
    const received: unknown[] = [];
    const { createServer } = await import('node:http');
    const server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        received.push(JSON.parse(body));
        response.writeHead(200, json).end('{"message": ""}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const sandbox = await startCard91Sandbox({ authWebhookUrl: `http://127.0.0.1:${port}/` });
    try {
      const response = await fetch(`${sandbox.url}/mctc/v1/customer/login/token`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ mobile: ASHA.mobile, sdkAuthToken: 'opaque-app-token', orgId: ORG_ID }),
      });
      expect(response.status).toBe(200);
      expect(received).toEqual([{ unique_id: 'opaque-app-token', mobile: ASHA.mobile, sdk: 'ISSUE_CARD', org_id: ORG_ID, card_prog_id: 'CP240709122046100ID18366231' }]);
    } finally {
      await sandbox.close();
      server.close();
    }
  });

  it.each([
    ['415 without a content type', { body: new TextEncoder().encode('{}') }, 415],
    ['400 for malformed JSON', { headers: json, body: '{"mobile": ' }, 400],
    ['400 for a mobile without 91', { headers: json, body: JSON.stringify({ mobile: '9876543210', sdkAuthToken: 't', orgId: ORG_ID }) }, 400],
    ['400 for another org', { headers: json, body: JSON.stringify({ mobile: ASHA.mobile, sdkAuthToken: 't', orgId: 'OID999' }) }, 400],
    ['400 for an unknown customer', { headers: json, body: JSON.stringify({ mobile: '919000000000', sdkAuthToken: 't', orgId: ORG_ID }) }, 400],
    ['401 when the webhook refuses the token', { headers: json, body: JSON.stringify({ mobile: ASHA.mobile, sdkAuthToken: 'not-ours', orgId: ORG_ID }) }, 401],
  ] as const)('answers %s', async (_what, init, status) => {
    const response = await fetch(`${url}/mctc/v1/customer/login/token`, { method: 'POST', ...init });
    expect(response.status).toBe(status);
  });
});

describe('response codes of the bearer methods', () => {
  const bearerPaths = [
    ['GET', `/mctc/v1/customer/details?orgId=${ORG_ID}`],
    ['GET', `/mctc/v1/customer/currency/balance?accountId=${ASHA.accountId}`],
    ['GET', `/mctc/v1/customer/transactions/list?accountId=${ASHA.accountId}&page=1&perPage=10`],
    ['GET', `/mctc/v1/customer/limits/CARD/${ASHA.activeCard}`],
    ['POST', '/mctc/v1/customer/limits/add'],
    ['PUT', `/mctc/v1/customer/card/${ASHA.activeCard}/status`],
    ['GET', `/mctc/v1/cards/cardLoad/list?accountId=${ASHA.accountId}&page=1&perPage=25`],
    ['GET', `/mctc/v1/customer/trip/${ASHA.customerId}/${ORG_ID}?page=1&perPage=25`],
  ] as const;

  it.each(bearerPaths)('%s %s needs a valid bearer token (401)', async (method, path) => {
    expect((await fetch(`${url}${path}`, { method })).status).toBe(401);
    expect((await fetch(`${url}${path}`, { method, headers: { authorization: 'Bearer forged.token.here' } })).status).toBe(401);
  });

  it('answers 404 with Card91’s plain-text body for an unknown path', async () => {
    const response = await fetch(`${url}/mctc/v2/customer/details`);
    expect(response.status).toBe(404);
    expect(await response.text()).toBe('404 page not found\n');
    expect(stack.sandbox.stats().calls.notFound).toEqual({ '404': 1 });
  });

  it('answers 405 for a required parameter sent empty, 400 for one missing or a bad page size', async () => {
    const headers = await bearer();
    expect((await fetch(`${url}/mctc/v1/customer/details?orgId=`, { headers })).status).toBe(405);
    expect((await fetch(`${url}/mctc/v1/customer/currency/balance`, { headers })).status).toBe(400);
    expect((await fetch(`${url}/mctc/v1/customer/transactions/list?accountId=${ASHA.accountId}&perPage=0`, { headers })).status).toBe(400);
  });

  it('answers 415 for a write body without a content type, 400 for a malformed one', async () => {
    const headers = await bearer();
    const statusUrl = `${url}/mctc/v1/customer/card/${ASHA.activeCard}/status`;
    expect((await fetch(statusUrl, { method: 'PUT', headers, body: new TextEncoder().encode('{"status":"LOCKED"}') })).status).toBe(415);
    expect((await fetch(statusUrl, { method: 'PUT', headers: { ...headers, ...json }, body: '{"status":"FROZEN"}' })).status).toBe(400);
    expect((await fetch(statusUrl, { method: 'PUT', headers: { ...headers, ...json }, body: '{"status":"BLOCKED"}' })).status).toBe(400);
    const limitsUrl = `${url}/mctc/v1/customer/limits/add`;
    const unknownCurrency = {
      entityType: 'CARD',
      entityId: ASHA.activeCard,
      limits: [
        {
          currency: 'JPY',
          isContactLessAllowed: false,
          isAtmLimitEnabled: false,
          isOnlineLimitEnabled: false,
          isPosLimitEnabled: false,
          perAtmTxnLimit: 0,
          perOnlineTxnLimit: 0,
          perPosTxnLimit: 0,
          perContactlessTxnLimit: 0,
        },
      ],
    };
    expect((await fetch(limitsUrl, { method: 'POST', headers: { ...headers, ...json }, body: JSON.stringify(unknownCurrency) })).status).toBe(400);
    // The reference types limits as JSON numbers; the client's own schema would take numeral strings.
    const stringLimits = { ...unknownCurrency, limits: [{ ...unknownCurrency.limits[0], currency: 'AED', perAtmTxnLimit: '80' }] };
    expect((await fetch(limitsUrl, { method: 'POST', headers: { ...headers, ...json }, body: JSON.stringify(stringLimits) })).status).toBe(400);
    expect(stack.sandbox.card(ASHA.activeCard)?.state).toBe('ACTIVE');
  });
});

describe('wire quirks of the bearer methods', () => {
  it('prints amounts with Card91’s scales, string balances, snake_case switch_rc and bare-array trips', async () => {
    const headers = await bearer();
    const limits = await (await fetch(`${url}/mctc/v1/customer/limits/CARD/${ASHA.activeCard}`, { headers })).text();
    expect(limits).toContain('"perPosTxnLimit":50000.0000');
    expect(limits).toContain('"maxPerOnlineTxnLimit":0,');
    expect(await (await fetch(`${url}/mctc/v1/customer/currency/balance?accountId=${ASHA.accountId}`, { headers })).text()).toContain('"balance":"0.00"');
    const transactions = await (await fetch(`${url}/mctc/v1/customer/transactions/list?accountId=${ASHA.accountId}&page=1&perPage=1`, { headers })).text();
    expect(transactions).toContain('"id":788,');
    expect(transactions).toContain('"amount":10.00,');
    expect(transactions).toContain('"switch_rc":null');
    expect(transactions).toContain('"txnDate":"2024-07-01 00:00:00"');
    const trips: unknown = await (await fetch(`${url}/mctc/v1/customer/trip/${ASHA.customerId}/${ORG_ID}`, { headers })).json();
    expect(Array.isArray(trips)).toBe(true);
    expect((trips as { id: unknown }[])[0]?.id).toBeNull();
  });

  it('prints account ids as JSON numbers for a customer seeded that way', async () => {
    const headers = await bearer(ROHAN.mobile);
    const text = await (await fetch(`${url}/mctc/v1/customer/transactions/list?accountId=${ROHAN.accountId}`, { headers })).text();
    expect(text).toContain(`"accountId":${ROHAN.accountId},`);
  });
});

describe('admin API', () => {
  it('takes faults over HTTP, validates them strictly, and never faults the admin paths', async () => {
    const misspelt = await fetch(`${url}/__admin/faults`, { method: 'POST', headers: json, body: JSON.stringify({ errorRat: 1 }) });
    expect(misspelt.status).toBe(400);
    expect(() => stack.sandbox.setFaults({ errorRate: 2 })).toThrow();

    const accepted = await fetch(`${url}/__admin/faults`, { method: 'POST', headers: json, body: JSON.stringify({ errorRate: 1, errorStatus: 504 }) });
    expect(accepted.status).toBe(200);
    expect((await login()).status).toBe(504);
    const stats = await fetch(`${url}/__admin/stats`);
    expect(stats.status).toBe(200);
    expect(await stats.json()).toMatchObject({ calls: { loginWithToken: { 'fault:error': 1 } } });
  });

  it('resets data, faults, stats and tokens', async () => {
    const headers = { ...(await bearer()), ...json };
    await fetch(`${url}/mctc/v1/customer/card/${ASHA.activeCard}/status`, { method: 'PUT', headers, body: '{"status":"BLOCKED","blockedReason":"LOST"}' });
    stack.sandbox.setFaults({ latencyMs: 10 });
    expect(stack.sandbox.card(ASHA.activeCard)?.state).toBe('BLOCKED');

    expect((await fetch(`${url}/__admin/reset`, { method: 'POST' })).status).toBe(200);

    expect(stack.sandbox.card(ASHA.activeCard)?.state).toBe('ACTIVE');
    expect(stack.sandbox.stats().calls).toEqual({});
    expect((await fetch(`${url}/mctc/v1/customer/limits/CARD/${ASHA.activeCard}`, { headers })).status).toBe(401);
  });

  it('revokes every issued token on request', async () => {
    const headers = await bearer();
    expect((await fetch(`${url}/__admin/revoke-tokens`, { method: 'POST' })).status).toBe(200);
    expect((await fetch(`${url}/mctc/v1/customer/limits/CARD/${ASHA.activeCard}`, { headers })).status).toBe(401);
  });
});

describe('fault injection', () => {
  it('applies scripted faults by method name, path or route pattern, and uses them up', async () => {
    stack.sandbox.setFaults({
      script: [
        { path: '/mctc/v1/customer/login/token', fault: 'error', times: 1 },
        { path: '/mctc/v1/customer/card/:cardId/status', fault: 'throttle', times: 1 },
      ],
      retryAfterSeconds: 7,
    });
    expect((await login()).status).toBe(503);
    const headers = { ...(await bearer()), ...json };
    const throttled = await fetch(`${url}/mctc/v1/customer/card/${ASHA.activeCard}/status`, { method: 'PUT', headers, body: '{"status":"LOCKED"}' });
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('7');
    expect((await fetch(`${url}/mctc/v1/customer/card/${ASHA.activeCard}/status`, { method: 'PUT', headers, body: '{"status":"LOCKED"}' })).status).toBe(200);
  });

  it('draws random faults from a seeded generator: the same seed gives the same sequence', async () => {
    const headers = await bearer();
    const run = async () => {
      stack.sandbox.setFaults({ errorRate: 0.5, seed: 7 });
      const statuses: number[] = [];
      for (let i = 0; i < 12; i += 1) statuses.push((await fetch(`${url}/mctc/v1/customer/limits/CARD/${ASHA.activeCard}`, { headers })).status);
      return statuses;
    };
    const first = await run();
    expect(new Set(first)).toEqual(new Set([200, 503]));
    expect(await run()).toEqual(first);
  });

  it('adds latency', async () => {
    stack.sandbox.setFaults({ latencyMs: 150 });
    const started = Date.now();
    await fetch(`${url}/mctc/v1/customer/details?orgId=${ORG_ID}`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });
});

describe('sandbox lifecycle', () => {
  it('closes promptly even with hung requests open', async () => {
    const sandbox = await startCard91Sandbox({ authWebhookUrl: stack.webhook.url, faults: { hangRate: 1 } });
    const hung = fetch(`${sandbox.url}/mctc/v1/customer/details?orgId=${ORG_ID}`).then(
      () => 'answered',
      () => 'dropped',
    );
    await expect.poll(() => sandbox.stats().calls.getCustomerDetail).toEqual({ 'fault:hang': 1 });

    const started = Date.now();
    await sandbox.close();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(await hung).toBe('dropped');
  });

  it('builds an unstarted instance for inject()', async () => {
    const app = buildCard91Sandbox({ authWebhookUrl: stack.webhook.url });
    const response = await app.inject({ method: 'GET', url: `/mctc/v1/customer/limits/CARD/${ASHA.activeCard}` });
    expect(response.statusCode).toBe(401);
    await app.close();
  });
});

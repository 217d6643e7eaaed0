/**
 * Card91Client behaviour that needs answers the sandbox never gives (malformed bodies, missing
 * headers, redirects): driven through an injected fetch.
 */
import { describe, expect, it } from 'vitest';
import { FailureCategory } from '../../shared/resilience/errors.js';
import { Card91Client } from '../../shared/card91/client.js';
import type { Card91ClientOptions } from '../../shared/card91/client.js';

const MOBILE = '919876543210';
const CUSTOMER = {
  id: 'CUST240715044503610ID15656664',
  mobile: MOBILE,
  cardPrograms: [],
};

interface Exchange {
  url: string;
  init: RequestInit;
}

function clientAnswering(answer: (exchange: Exchange) => Response, options: Partial<Card91ClientOptions> = {}) {
  const exchanges: Exchange[] = [];
  const fakeFetch = (async (input: string | URL | Request, init: RequestInit = {}) => {
    const exchange = { url: String(input), init };
    exchanges.push(exchange);
    return answer(exchange);
  }) as typeof fetch;
  const client = new Card91Client({
    baseUrl: 'https://card91.example/prod/',
    orgId: 'OID240605060125057ID16561311',
    sdkAuthTokenProvider: async () => 'sdk-token',
    fetch: fakeFetch,
    retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 },
    ...options,
  });
  return { client, exchanges };
}

const loginOk = (token = 'C91IP_opaque') => new Response(JSON.stringify(CUSTOMER), { status: 200, headers: { Jwt_token: token } });

describe('Card91Client wire details: requests', () => {
  it('logs in again after a lost answer with a new sdkAuthToken, since the first may have been used', async () => {
    let minted = 0;
    let attempts = 0;
    const { client, exchanges } = clientAnswering(
      ({ url }) => {
        if (!url.endsWith('/login/token')) return new Response('{"limits": []}', { status: 200 });
        attempts += 1;
        return attempts === 1 ? new Response('busy', { status: 503 }) : loginOk();
      },
      { sdkAuthTokenProvider: async () => `sdk-token-${++minted}`, retry: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 1 } },
    );
    await client.getCardSettings(MOBILE, 'CID240715054310293ID17085600');
    const tokens = exchanges.filter(({ url }) => url.endsWith('/login/token')).map(({ init }) => (JSON.parse(String(init.body)) as { sdkAuthToken: string }).sdkAuthToken);
    expect(tokens).toEqual(['sdk-token-1', 'sdk-token-2']);
  });

  it('keeps the base URL’s path prefix, sends the M1 body and then the bearer token with exact paths', async () => {
    const { client, exchanges } = clientAnswering(({ url }) => (url.endsWith('/login/token') ? loginOk() : new Response('{"limits": []}', { status: 200 })));
    await client.getCardSettings(MOBILE, 'CID240715054310293ID17085600');

    expect(exchanges.map(({ url, init }) => `${init.method} ${url}`)).toEqual([
      'POST https://card91.example/prod/mctc/v1/customer/login/token',
      'GET https://card91.example/prod/mctc/v1/customer/limits/CARD/CID240715054310293ID17085600',
    ]);
    expect(JSON.parse(String(exchanges[0]!.init.body))).toEqual({ mobile: MOBILE, sdkAuthToken: 'sdk-token', orgId: 'OID240605060125057ID16561311' });
    expect(exchanges[0]!.init.headers).toMatchObject({ 'content-type': 'application/json' });
    expect(exchanges[1]!.init.headers).toMatchObject({ authorization: 'Bearer C91IP_opaque' });
    expect(exchanges[1]!.init.headers).not.toHaveProperty('content-type');
  });

  it('writes M6 limits as exact JSON numbers in the nested limits[] shape', async () => {
    const { client, exchanges } = clientAnswering(({ url }) => (url.endsWith('/login/token') ? loginOk() : new Response('{"limits": []}')));
    await client.setCardSettings(MOBILE, 'CID240715054310293ID17085600', [
      {
        currency: 'AED',
        isContactLessAllowed: false,
        isAtmLimitEnabled: true,
        isOnlineLimitEnabled: false,
        isPosLimitEnabled: true,
        perAtmTxnLimit: '80.10',
        perOnlineTxnLimit: 0,
        perPosTxnLimit: '99999999999999999.99',
        perContactlessTxnLimit: 0,
      },
    ]);
    const body = String(exchanges[1]!.init.body);
    expect(body).toContain('"entityType":"CARD","entityId":"CID240715054310293ID17085600","limits":[{');
    expect(body).toContain('"perAtmTxnLimit":80.1,');
    expect(body).toContain('"perPosTxnLimit":99999999999999999.99,');
  });

  it('sends M7 and M8 as the two-field and one-field bodies (not the M6 sample the seed pasted)', async () => {
    const { client, exchanges } = clientAnswering(({ url }) => (url.endsWith('/login/token') ? loginOk() : new Response('')));
    await client.blockCard(MOBILE, 'CID1', 'DAMAGED');
    await client.setCardLock(MOBILE, 'CID1', 'UNLOCKED');
    expect(exchanges.slice(1).map(({ url, init }) => [init.method, new URL(url).pathname, init.body])).toEqual([
      ['PUT', '/prod/mctc/v1/customer/card/CID1/status', '{"status":"BLOCKED","blockedReason":"DAMAGED"}'],
      ['PUT', '/prod/mctc/v1/customer/card/CID1/status', '{"status":"UNLOCKED"}'],
    ]);
  });

  it('puts M10’s customer and org ids in the path and paging in the query', async () => {
    const { client, exchanges } = clientAnswering(({ url }) => (url.endsWith('/login/token') ? loginOk() : new Response('[]')));
    await client.getTrips(MOBILE, { customerId: 'CUST1', page: 2, perPage: 5 });
    expect(exchanges[1]!.url).toBe('https://card91.example/prod/mctc/v1/customer/trip/CUST1/OID240605060125057ID16561311?page=2&perPage=5');
  });
});

describe('Card91Client wire details: answers', () => {
  it('reports the seed’s M1 sample body (extra closing brace) as a Permanent C91_RESPONSE_SCHEMA', async () => {
    const { client } = clientAnswering(() => new Response(`${JSON.stringify(CUSTOMER)}}`, { status: 200, headers: { Jwt_token: 't' } }));
    await expect(client.loginWithToken(MOBILE)).rejects.toMatchObject({ name: 'IntegrationError', category: FailureCategory.Permanent, code: 'C91_RESPONSE_SCHEMA' });
  });

  it('names the offending fields, never their values, when a body breaks the schema', async () => {
    const { client } = clientAnswering(({ url }) => (url.endsWith('/login/token') ? loginOk() : new Response('{"limits":[{"currency":"AED","perAtmTxnLimit":"lots"}]}')));
    const failure = client.getCardSettings(MOBILE, 'CID1');
    await expect(failure).rejects.toMatchObject({ name: 'IntegrationError', code: 'C91_RESPONSE_SCHEMA', message: expect.stringContaining('limits.0.perAtmTxnLimit') });
    await expect(failure).rejects.toMatchObject({ message: expect.not.stringContaining('lots') });
  });

  it('refuses a login answered without the Jwt_token header', async () => {
    const { client } = clientAnswering(() => new Response(JSON.stringify(CUSTOMER), { status: 200 }));
    await expect(client.loginWithToken(MOBILE)).rejects.toMatchObject({ name: 'IntegrationError', category: FailureCategory.Permanent, code: 'C91_LOGIN_TOKEN_MISSING' });
  });

  it('treats a redirect as a Permanent answer instead of following it with the bearer token', async () => {
    const { client, exchanges } = clientAnswering(({ url }) => (url.endsWith('/login/token') ? loginOk() : new Response(null, { status: 302, headers: { location: 'https://elsewhere.example/' } })));
    await expect(client.getCustomerDetail(MOBILE)).rejects.toMatchObject({ name: 'IntegrationError', code: 'C91_302' });
    expect(exchanges[1]!.init.redirect).toBe('manual');
  });
});

describe('Card91Client wire details: calls', () => {
  it('shares one login between concurrent calls for the same customer', async () => {
    const { client, exchanges } = clientAnswering(({ url }) => (url.endsWith('/login/token') ? loginOk() : new Response('{"limits": []}')));
    await Promise.all([client.getCardSettings(MOBILE, 'CID1'), client.getCardSettings(MOBILE, 'CID2'), client.getCardSettings(MOBILE, 'CID3')]);
    expect(exchanges.filter(({ url }) => url.endsWith('/login/token'))).toHaveLength(1);
  });

  it('never lets a throwing onCall hook change the outcome', async () => {
    const { client } = clientAnswering(({ url }) => (url.endsWith('/login/token') ? loginOk() : new Response('{"limits": []}')), {
      onCall: () => {
        throw new Error('metrics down');
      },
    });
    await expect(client.getCardSettings(MOBILE, 'CID1')).resolves.toEqual({ limits: [] });
  });

  it('refuses a misconfigured org id at construction', () => {
    expect(() => new Card91Client({ baseUrl: 'https://x', orgId: 'OID/../x', sdkAuthTokenProvider: async () => 't' })).toThrow(RangeError);
  });
});

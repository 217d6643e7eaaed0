import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { createAuthWebhookHandler } from '../../functions/card91-auth-webhook/auth-webhook.js';
import { CALLER_SECRET_HEADER } from '../../shared/card91/auth-webhook-contract.js';
import type { AuthWebhookDependencies, AuthWebhookOutcome } from '../../functions/card91-auth-webhook/auth-webhook.js';
import { InMemoryTokenReplayGuard } from '../../functions/card91-auth-webhook/token-replay.js';
import { mintSdkAuthToken } from '../../shared/card91/sdk-auth-token.js';
import { edgeOrigin, ORIGIN_VERIFY_HEADER } from '../../shared/edge/origin.js';

const MOBILE = '919876543210';
const SECRET = { kid: '2026-11', secret: 's'.repeat(40) };
const NOW = Date.parse('2026-11-22T10:00:00Z');
/** The caller secret Card91 sends, and the one it sent before the rotation. */
const CALLER = { current: 'c'.repeat(48), previous: 'p'.repeat(48) };
const CARD91_HEADERS = { [CALLER_SECRET_HEADER]: CALLER.current };

const event = (body: string | undefined, isBase64Encoded = false, headers: Record<string, string> = CARD91_HEADERS): APIGatewayProxyEventV2 =>
  ({ version: '2.0', routeKey: 'POST /card91/auth', rawPath: '/card91/auth', rawQueryString: '', headers, body, isBase64Encoded }) as APIGatewayProxyEventV2;

function setup(options: { businessToken?: string } & Partial<AuthWebhookDependencies> = {}) {
  const outcomes: AuthWebhookOutcome[] = [];
  const getSecrets = vi.fn(async () => [SECRET]);
  const handler = createAuthWebhookHandler({
    getSecrets,
    callerSecrets: async () => [CALLER.current, CALLER.previous],
    replay: new InMemoryTokenReplayGuard(() => NOW),
    ...options,
    businessTokenProvider: options.businessToken === undefined ? undefined : async () => options.businessToken!,
    onOutcome: (outcome) => outcomes.push(outcome),
    now: () => NOW,
  });
  return { handler, outcomes, getSecrets };
}

const validToken = await mintSdkAuthToken({ mobile: MOBILE, secret: SECRET, now: NOW });
const expiredToken = await mintSdkAuthToken({ mobile: MOBILE, secret: SECRET, now: NOW - 301_000 });
const forgedToken = await mintSdkAuthToken({ mobile: MOBILE, secret: { kid: SECRET.kid, secret: 'f'.repeat(40) }, now: NOW });
const authUrlPayload = (token: string, mobile = MOBILE) =>
  JSON.stringify({ unique_id: token, mobile, sdk: 'ISSUE_CARD', org_id: 'OID240605060125057ID16561311', card_prog_id: 'CP240709122046100ID18366231' });

describe('Card91 auth-URL webhook handler', () => {
  it('answers 200 {"message": ""} for a valid token sent as the auth-URL page’s unique_id', async () => {
    const { handler, outcomes } = setup();
    const result = await handler(event(authUrlPayload(validToken)));

    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body!)).toEqual({ message: '' });
    expect(result.headers).toMatchObject({ 'content-type': 'application/json', 'cache-control': 'no-store' });
    expect(result.headers).not.toHaveProperty('X-C91-B-Token');
    expect(outcomes).toEqual([{ outcome: 'accepted' }]);
  });

  it('also reads the token from an `sdkAuthToken` field (M1’s name for it), and base64 bodies', async () => {
    const { handler } = setup();
    const body = Buffer.from(JSON.stringify({ mobile: MOBILE, sdkAuthToken: validToken })).toString('base64');
    expect((await handler(event(body, true))).statusCode).toBe(200);
  });

  it('adds X-C91-B-Token and exposes it when a business token provider is configured', async () => {
    const { handler } = setup({ businessToken: 'business.jwt.value' });
    const result = await handler(event(authUrlPayload(validToken)));
    expect(result.headers).toMatchObject({ 'X-C91-B-Token': 'business.jwt.value', 'Access-Control-Expose-Headers': 'X-C91-B-Token' });
  });

  it.each([
    ['expired', expiredToken, MOBILE],
    ['forged', forgedToken, MOBILE],
    ['mismatch', validToken, '919812345678'],
    ['malformed', 'not-a-token', MOBILE],
  ] as const)('answers the same non-revealing 401 for a %s token, and reports the reason', async (reason, token, mobile) => {
    const { handler, outcomes } = setup({ businessToken: 'business.jwt.value' });
    const result = await handler(event(authUrlPayload(token, mobile)));

    expect(result.statusCode).toBe(401);
    expect(JSON.parse(result.body!)).toEqual({ message: 'Unauthorized' });
    expect(result.headers).not.toHaveProperty('X-C91-B-Token');
    expect(outcomes).toEqual([{ outcome: 'rejected', reason }]);
  });

  it.each([
    ['no body', undefined],
    ['not JSON', '{"mobile": '],
    ['no token field', JSON.stringify({ mobile: MOBILE })],
    ['a mobile without 91', JSON.stringify({ mobile: '9876543210', unique_id: validToken })],
    ['an oversized body', JSON.stringify({ mobile: MOBILE, unique_id: validToken, pad: 'x'.repeat(10_000) })],
  ])('answers 400 for %s, without reading the secrets', async (_what, body) => {
    const { handler, outcomes, getSecrets } = setup();
    const result = await handler(event(body));

    expect(result.statusCode).toBe(400);
    expect(outcomes).toEqual([{ outcome: 'malformed-request' }]);
    expect(getSecrets).not.toHaveBeenCalled();
  });

  it('lets a secrets failure surface (a 500 from the Lambda integration; Card91 refuses the login)', async () => {
    const { handler } = setup({ getSecrets: async () => Promise.reject(new Error('secrets unavailable')) });
    await expect(handler(event(authUrlPayload(validToken)))).rejects.toThrow('secrets unavailable');
  });
});

describe('Card91 auth-URL webhook: only Card91 may call it', () => {
  it.each([
    ['no caller header', {}],
    ['a wrong caller secret', { [CALLER_SECRET_HEADER]: 'x'.repeat(48) }],
    ['an empty caller secret', { [CALLER_SECRET_HEADER]: '' }],
    ['the secret under another header name', { authorization: CALLER.current }],
  ])('refuses %s with 401 before reading the body, even with a valid token', async (_what, headers) => {
    const { handler, outcomes, getSecrets } = setup({ businessToken: 'business.jwt.value' });
    const result = await handler(event(authUrlPayload(validToken), false, headers));

    expect(result.statusCode).toBe(401);
    expect(JSON.parse(result.body!)).toEqual({ message: 'Unauthorized' });
    expect(result.headers).not.toHaveProperty('X-C91-B-Token');
    expect(outcomes).toEqual([{ outcome: 'rejected', reason: 'caller' }]);
    expect(getSecrets).not.toHaveBeenCalled();
  });

  it('accepts the previous caller secret during a rotation', async () => {
    const { handler } = setup();
    expect((await handler(event(authUrlPayload(validToken), false, { [CALLER_SECRET_HEADER]: CALLER.previous }))).statusCode).toBe(200);
  });
});

describe('Card91 auth-URL webhook: each token opens one login', () => {
  it('accepts a token once; the same token again is refused with the same 401, without a business token', async () => {
    const { handler, outcomes } = setup({ businessToken: 'business.jwt.value' });
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await handler(event(authUrlPayload(validToken))));

    expect(answers.map((a) => a.statusCode)).toEqual([200, 401, 401, 401]);
    expect(answers.slice(1).every((a) => a.headers?.['X-C91-B-Token'] === undefined)).toBe(true);
    expect(outcomes).toEqual([{ outcome: 'accepted' }, ...Array(3).fill({ outcome: 'rejected', reason: 'replayed' })]);
  });

  it('remembers a token until its own expiry, and never remembers a refused one', async () => {
    const firstUse = vi.fn(async () => true);
    const { handler } = setup({ replay: { firstUse } });
    await handler(event(authUrlPayload(forgedToken)));
    await handler(event(authUrlPayload(validToken, '919812345678')));
    expect(firstUse).not.toHaveBeenCalled();

    await handler(event(authUrlPayload(validToken)));
    expect(firstUse).toHaveBeenCalledWith(validToken, NOW / 1_000 + 300);
  });

  it('a fresh token for the same mobile still logs in, even one minted in the same second', async () => {
    const { handler } = setup();
    expect((await handler(event(authUrlPayload(validToken)))).statusCode).toBe(200);
    const next = await mintSdkAuthToken({ mobile: MOBILE, secret: SECRET, now: NOW });
    expect((await handler(event(authUrlPayload(next)))).statusCode).toBe(200);
  });
});

describe('Card91 auth-URL webhook behind the edge', () => {
  const ORIGIN_SECRET = 'o'.repeat(64);
  const origin = edgeOrigin(async () => [ORIGIN_SECRET]);

  it('refuses with 403 a request that did not come through CloudFront, whatever else it carries', async () => {
    const { handler, outcomes, getSecrets } = setup({ origin });
    const result = await handler(event(authUrlPayload(validToken), false, { ...CARD91_HEADERS, [ORIGIN_VERIFY_HEADER]: 'guess'.repeat(10) }));
    expect(result.statusCode).toBe(403);
    expect(outcomes).toEqual([{ outcome: 'not-through-edge' }]);
    expect(getSecrets).not.toHaveBeenCalled();
  });

  it('serves Card91 through CloudFront', async () => {
    const { handler } = setup({ origin });
    expect((await handler(event(authUrlPayload(validToken), false, { ...CARD91_HEADERS, [ORIGIN_VERIFY_HEADER]: ORIGIN_SECRET }))).statusCode).toBe(200);
  });
});

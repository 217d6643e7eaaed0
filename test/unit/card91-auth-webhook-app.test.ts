/**
 * The Card91 auth-URL webhook as Lambda runs it (functions/card91-auth-webhook/app.ts): middy
 * with the Powertools logger, one log line per validation with its outcome and reason, and never
 * the token or the mobile. Lives with the card-controls tests because card controls are what logs
 * customers in at Card91.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { decodeJwt } from 'jose';
import { BUSINESS_TOKEN_TTL_SECONDS, createAuthWebhookLambda } from '../../functions/card91-auth-webhook/app.js';
import { CALLER_SECRET_HEADER } from '../../shared/card91/auth-webhook-contract.js';
import { localLambdaContext } from '../../local/event-source/lambda-context.js';
import { mintSdkAuthToken } from '../../shared/card91/index.js';
import { SecretsManagerSecrets } from '../../shared/config/secrets.js';

const MOBILE = '919876543210';
const SECRET = { kid: 'k1', secret: 'q'.repeat(40) };

const CALLER_SECRET = 'caller-secret-for-tests-0123456789abcdef';

const request = (body: object, headers: Record<string, string>): APIGatewayProxyEventV2 =>
  ({ version: '2.0', routeKey: 'POST /card91/auth', rawPath: '/card91/auth', rawQueryString: '', headers, body: JSON.stringify(body), isBase64Encoded: false }) as APIGatewayProxyEventV2;

const invoke = (lambda: ReturnType<typeof createAuthWebhookLambda>, body: object, headers: Record<string, string> = { [CALLER_SECRET_HEADER]: CALLER_SECRET }) =>
  lambda(request(body, headers), localLambdaContext('card91-auth-webhook', 10)) as Promise<APIGatewayProxyStructuredResultV2>;

describe('card91-auth-webhook Lambda entry', () => {
  const lines: string[] = [];
  const streams = [process.stdout, process.stderr];
  const writes = streams.map((stream) => stream.write.bind(stream));
  beforeEach(() => {
    lines.length = 0;
    streams.forEach((stream, i) => {
      stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
        lines.push(String(chunk));
        return writes[i]!(chunk as never, ...(rest as []));
      }) as typeof stream.write;
    });
  });
  afterEach(() => streams.forEach((stream, i) => (stream.write = writes[i]!)));

  const ENV = {
    POWERTOOLS_SERVICE_NAME: 'card91-auth-webhook',
    CARD91_SDK_AUTH_SECRETS_JSON: JSON.stringify([SECRET]),
    CARD91_CALLER_SECRET_JSON: JSON.stringify({ current: CALLER_SECRET }),
  };
  const lambda = (env: NodeJS.ProcessEnv = ENV) => createAuthWebhookLambda(env);
  const logged = () =>
    lines
      .flatMap((line) => line.split('\n'))
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);

  it('accepts a genuine token and logs the outcome only', async () => {
    const token = await mintSdkAuthToken({ mobile: MOBILE, secret: SECRET });
    const result = await invoke(lambda(), { unique_id: token, mobile: MOBILE });
    expect(result.statusCode).toBe(200);
    expect(logged()).toContainEqual(expect.objectContaining({ message: 'login validation', outcome: 'accepted', service: 'card91-auth-webhook' }));
    expect(lines.join('')).not.toContain(token);
    expect(lines.join('')).not.toContain(MOBILE);
  });

  it('refuses a token minted for another mobile and logs the reason, without token or mobile', async () => {
    const token = await mintSdkAuthToken({ mobile: '919812345678', secret: SECRET });
    const result = await invoke(lambda(), { unique_id: token, mobile: MOBILE });
    expect(result.statusCode).toBe(401);
    expect(logged()).toContainEqual(expect.objectContaining({ level: 'WARN', message: 'login validation', outcome: 'rejected', reason: 'mismatch' }));
    const text = lines.join('');
    for (const secret of [token, MOBILE, '919812345678', SECRET.secret]) expect(text).not.toContain(secret);
  });

  it('fails (a 500 for Card91) and logs why when no secrets are configured', async () => {
    await expect(invoke(createAuthWebhookLambda({ CARD91_CALLER_SECRET_JSON: ENV.CARD91_CALLER_SECRET_JSON }), { unique_id: 'x.y.z', mobile: MOBILE })).rejects.toThrow(
      'set CARD91_SDK_AUTH_SECRETS_ID or CARD91_SDK_AUTH_SECRETS_JSON',
    );
    expect(logged()).toContainEqual(expect.objectContaining({ level: 'ERROR', message: 'login validation failed' }));
  });

  it('refuses a caller without the caller secret and logs the reason, never the header', async () => {
    const token = await mintSdkAuthToken({ mobile: MOBILE, secret: SECRET });
    const result = await invoke(lambda(), { unique_id: token, mobile: MOBILE }, { [CALLER_SECRET_HEADER]: 'a-guess-at-the-caller-secret-0123456789' });
    expect(result.statusCode).toBe(401);
    expect(logged()).toContainEqual(expect.objectContaining({ level: 'WARN', message: 'login validation', outcome: 'rejected', reason: 'caller' }));
    expect(lines.join('')).not.toContain('a-guess-at-the-caller-secret');
  });

  it('answers a replayed token 401 (reason replayed)', async () => {
    const token = await mintSdkAuthToken({ mobile: MOBILE, secret: SECRET });
    const webhook = lambda();
    expect((await invoke(webhook, { unique_id: token, mobile: MOBILE })).statusCode).toBe(200);
    expect((await invoke(webhook, { unique_id: token, mobile: MOBILE })).statusCode).toBe(401);
    expect(logged()).toContainEqual(expect.objectContaining({ level: 'WARN', outcome: 'rejected', reason: 'replayed' }));
  });

  it('mints the X-C91-B-Token business token for 2 minutes, the low end of what Card91 recommends', async () => {
    const documents: Record<string, string> = {
      'business-credentials': JSON.stringify({ apiKey: 'api-key', apiSecret: 'api-secret-0123456789' }),
    };
    const read = vi.spyOn(SecretsManagerSecrets.prototype as unknown as { _get: (id: string) => Promise<string> }, '_get').mockImplementation(async (id) => documents[id]!);
    try {
      const token = await mintSdkAuthToken({ mobile: MOBILE, secret: SECRET });
      const result = await invoke(lambda({ ...ENV, CARD91_BUSINESS_CREDENTIALS_ID: 'business-credentials' }), { unique_id: token, mobile: MOBILE });
      const claims = decodeJwt(String(result.headers?.['X-C91-B-Token']));
      expect(claims.exp! - claims.iat!).toBe(BUSINESS_TOKEN_TTL_SECONDS);
      expect(BUSINESS_TOKEN_TTL_SECONDS).toBe(120);
    } finally {
      read.mockRestore();
    }
  });

  it.each([
    ['no caller secret at all', { CARD91_CALLER_SECRET_JSON: undefined }, 'set CARD91_CALLER_SECRET_ID or CARD91_CALLER_SECRET_JSON'],
    ['an inline caller secret in Lambda', { AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x' }, 'CARD91_CALLER_SECRET_JSON is refused in Lambda'],
  ])('fails closed (a 500 for Card91) with %s', async (_what, overrides, message) => {
    const token = await mintSdkAuthToken({ mobile: MOBILE, secret: SECRET });
    await expect(invoke(lambda({ ...ENV, ...overrides }), { unique_id: token, mobile: MOBILE })).rejects.toThrow(message);
  });

  it("fails closed in Lambda without a replay table: one instance's memory would let a token through once per instance", async () => {
    const read = vi.spyOn(SecretsManagerSecrets.prototype as unknown as { _get: (id: string) => Promise<string> }, '_get').mockResolvedValue(JSON.stringify({ current: CALLER_SECRET }));
    try {
      const token = await mintSdkAuthToken({ mobile: MOBILE, secret: SECRET });
      const env = { ...ENV, AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x', CARD91_CALLER_SECRET_JSON: undefined, CARD91_CALLER_SECRET_ID: 'caller-secret' };
      await expect(invoke(lambda(env), { unique_id: token, mobile: MOBILE })).rejects.toThrow('set REPLAY_TABLE');
    } finally {
      read.mockRestore();
    }
  });

  it('refuses an inline secrets document that is not JSON without quoting it', () => {
    const leaked = 'not-json-but-a-secret-0123456789';
    expect(() => createAuthWebhookLambda({ CARD91_SDK_AUTH_SECRETS_JSON: leaked })).toThrow(/^CARD91_SDK_AUTH_SECRETS_JSON is not valid JSON$/);
  });
});

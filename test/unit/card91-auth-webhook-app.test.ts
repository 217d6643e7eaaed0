/**
 * The Card91 auth-URL webhook as Lambda runs it (functions/card91-auth-webhook/app.ts): middy
 * with the Powertools logger, one log line per validation with its outcome and reason, and never
 * the token or the mobile. Lives with the card-controls tests because card controls are what logs
 * customers in at Card91.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAuthWebhookLambda } from '../../functions/card91-auth-webhook/app.js';
import { localLambdaContext } from '../../local/event-source/lambda-context.js';
import { mintSdkAuthToken } from '../../shared/card91/index.js';

const MOBILE = '919876543210';
const SECRET = { kid: 'k1', secret: 'q'.repeat(40) };

const request = (body: object): APIGatewayProxyEventV2 =>
  ({ version: '2.0', routeKey: 'POST /card91/auth', rawPath: '/card91/auth', rawQueryString: '', headers: {}, body: JSON.stringify(body), isBase64Encoded: false }) as APIGatewayProxyEventV2;

const invoke = (lambda: ReturnType<typeof createAuthWebhookLambda>, body: object) =>
  lambda(request(body), localLambdaContext('card91-auth-webhook', 10)) as Promise<APIGatewayProxyStructuredResultV2>;

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

  const lambda = () => createAuthWebhookLambda({ POWERTOOLS_SERVICE_NAME: 'card91-auth-webhook', CARD91_SDK_AUTH_SECRETS_JSON: JSON.stringify([SECRET]) });
  const logged = () => lines.flatMap((line) => line.split('\n')).filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);

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
    await expect(invoke(createAuthWebhookLambda({}), { unique_id: 'x.y.z', mobile: MOBILE })).rejects.toThrow('set CARD91_SDK_AUTH_SECRETS_ID or CARD91_SDK_AUTH_SECRETS_JSON');
    expect(logged()).toContainEqual(expect.objectContaining({ level: 'ERROR', message: 'login validation failed' }));
  });

  it('refuses an inline secrets document that is not JSON without quoting it', () => {
    const leaked = 'not-json-but-a-secret-0123456789';
    expect(() => createAuthWebhookLambda({ CARD91_SDK_AUTH_SECRETS_JSON: leaked })).toThrow(/^CARD91_SDK_AUTH_SECRETS_JSON is not valid JSON$/);
  });
});

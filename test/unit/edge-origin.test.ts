/**
 * No way around the edge (shared/edge/origin.ts): behind CloudFront, a request must carry the
 * origin secret CloudFront adds, and only then is the caller the viewer CloudFront reports. A
 * courier's source-IP allow-list keeps working behind the edge and cannot be spoofed with
 * X-Forwarded-For or a forged CloudFront-Viewer-Address.
 */
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { courierDirectoryLoader } from '../../shared/courier/couriers.js';
import { staticSecretsSource } from '../../shared/courier/secrets.js';
import { createCourierWebhookHandler, type CourierWebhookDependencies } from '../../functions/courier-webhook/webhook.js';
import { localLambdaContext } from '../../local/event-source/lambda-context.js';
import { signCourierRequest } from '../../shared/tooling/courier-signing.js';
import { directOrigin, edgeOrigin, ORIGIN_VERIFY_HEADER, originCheckFrom, VIEWER_ADDRESS_HEADER, viewerIp } from '../../shared/edge/origin.js';
import { createTelemetry } from '../../shared/observability/telemetry.js';

const ORIGIN_SECRET = { current: 'o'.repeat(64), previous: 'q'.repeat(64) };
/** An address CloudFront's origin-facing servers use: API Gateway's TCP peer behind the edge. */
const CLOUDFRONT_PEER = '130.176.0.10';
const COURIER_IP = '203.0.113.7';
const SIGNING_KEY = 'walled-courier-signing-key-0123456789abcdef';

const event = (headers: Record<string, string>, sourceIp: string, body = ''): APIGatewayProxyEventV2 =>
  ({
    version: '2.0',
    routeKey: 'POST /couriers/{courier}/events',
    rawPath: '/couriers/walled/events',
    rawQueryString: '',
    headers,
    pathParameters: { courier: 'walled' },
    requestContext: { http: { method: 'POST', path: '/couriers/walled/events', protocol: 'HTTP/1.1', sourceIp, userAgent: 'test' } },
    body,
    isBase64Encoded: false,
  }) as unknown as APIGatewayProxyEventV2;

describe('CloudFront-Viewer-Address', () => {
  it.each([
    ['203.0.113.7:46532', '203.0.113.7'],
    ['2001:db8::8a2e:370:7334:46532', '2001:db8::8a2e:370:7334'],
    ['[2001:db8::1]:443', '2001:db8::1'],
    ['::ffff:203.0.113.7:1234', '::ffff:203.0.113.7'],
  ])('reads %s as %s (the port stripped, IPv6 aware)', (value, address) => {
    expect(viewerIp(value)).toBe(address);
  });

  it.each(['', '203.0.113.7', 'example.com:443', '203.0.113.7:port', '999.1.1.1:80', '2001:db8::1'])('reads nothing from %j', (value) => {
    expect(viewerIp(value)).toBeUndefined();
  });
});

describe('the origin check', () => {
  const edge = edgeOrigin(async () => [ORIGIN_SECRET.current, ORIGIN_SECRET.previous]);

  it('behind the edge: the origin secret (current or previous) admits the request, and the caller is the viewer', async () => {
    for (const secret of [ORIGIN_SECRET.current, ORIGIN_SECRET.previous]) {
      expect(await edge(event({ [ORIGIN_VERIFY_HEADER]: secret, [VIEWER_ADDRESS_HEADER]: `${COURIER_IP}:51234` }, CLOUDFRONT_PEER))).toEqual({ ok: true, clientIp: COURIER_IP });
    }
  });

  it('behind the edge: a direct call is refused, forged viewer address, X-Forwarded-For and all', async () => {
    const forged = { [VIEWER_ADDRESS_HEADER]: `${COURIER_IP}:51234`, 'x-forwarded-for': COURIER_IP };
    expect(await edge(event(forged, COURIER_IP))).toEqual({ ok: false });
    expect(await edge(event({ ...forged, [ORIGIN_VERIFY_HEADER]: 'x'.repeat(64) }, COURIER_IP))).toEqual({ ok: false });
  });

  it('behind the edge, without a viewer address, the caller is unknown (never CloudFront’s own address)', async () => {
    expect(await edge(event({ [ORIGIN_VERIFY_HEADER]: ORIGIN_SECRET.current }, CLOUDFRONT_PEER))).toEqual({ ok: true, clientIp: undefined });
  });

  it('without an edge: the caller is API Gateway’s TCP peer, whatever the headers say', async () => {
    const forged = { [VIEWER_ADDRESS_HEADER]: `${COURIER_IP}:51234`, 'x-forwarded-for': COURIER_IP };
    expect(await directOrigin(event(forged, '198.51.100.9'))).toEqual({ ok: true, clientIp: '198.51.100.9' });
  });

  it('is the edge’s when the environment names an origin secret, none otherwise', async () => {
    const forged = event({ [VIEWER_ADDRESS_HEADER]: `${COURIER_IP}:1` }, '198.51.100.9');
    expect(await originCheckFrom({})(forged)).toEqual({ ok: true, clientIp: '198.51.100.9' });
    expect(await originCheckFrom({ ORIGIN_VERIFY_SECRET_JSON: JSON.stringify(ORIGIN_SECRET) })(forged)).toEqual({ ok: false });
  });
});

describe('a courier’s source-IP allow-list behind the edge', () => {
  /** The courier webhook with an allow-listed HMAC courier; a request that authenticates is answered from the replay record (200). */
  function webhook(origin = edgeOrigin(async () => [ORIGIN_SECRET.current])) {
    const couriers = courierDirectoryLoader({
      COURIERS_JSON: JSON.stringify([{ courier: 'walled', tenant: 'ACME_BANK', format: 'generic', secretId: 'walled', auth: { mode: 'hmac', sourceIps: ['203.0.113.0/24'] } }]),
    });
    const loadCouriers = vi.fn(couriers);
    const deps = {
      couriers: loadCouriers,
      secrets: staticSecretsSource({ walled: { current: SIGNING_KEY } }),
      // Authenticated requests stop here: the request was accepted before, answered with its ids.
      replay: { peek: async () => ({ kind: 'completed', eventIds: ['evt-1'] }) },
      telemetry: createTelemetry('courier-webhook-test'),
      limits: { maxBodyBytes: 256 * 1_024, maxEventsPerRequest: 500, signatureToleranceSeconds: 300, maxFutureSeconds: 600, earliestOccurredAtMs: 0 },
      deadlineMarginMs: 500,
      origin,
    } as unknown as CourierWebhookDependencies;
    const handler = createCourierWebhookHandler(deps);
    const context: Context = localLambdaContext('courier-webhook', 10);
    return { loadCouriers, post: (headers: Record<string, string>, sourceIp: string, body: string) => handler(event(headers, sourceIp, body), context) };
  }

  const body = JSON.stringify({ kitNo: '4240181660', status: 'DELIVERED', occurredAt: '2026-04-15T11:11:00+05:30' });
  const signed = () => signCourierRequest({ secrets: [SIGNING_KEY], body: Buffer.from(body) });

  it('admits the allow-listed courier through CloudFront (API Gateway’s peer is CloudFront, the viewer is the courier)', async () => {
    const { post } = webhook();
    const answer = await post({ ...signed(), [ORIGIN_VERIFY_HEADER]: ORIGIN_SECRET.current, [VIEWER_ADDRESS_HEADER]: `${COURIER_IP}:51234` }, CLOUDFRONT_PEER, body);
    expect(answer.statusCode).toBe(200);
  });

  it('refuses a signed request through CloudFront from a viewer outside the allow-list, whatever X-Forwarded-For says', async () => {
    const { post } = webhook();
    const answer = await post({ ...signed(), [ORIGIN_VERIFY_HEADER]: ORIGIN_SECRET.current, [VIEWER_ADDRESS_HEADER]: '198.51.100.9:51234', 'x-forwarded-for': COURIER_IP }, CLOUDFRONT_PEER, body);
    expect([answer.statusCode, JSON.parse(answer.body).error]).toEqual([401, 'unauthorized']);
  });

  it('refuses (403, nothing read) a direct call to API Gateway that forges the viewer address and X-Forwarded-For', async () => {
    const { post, loadCouriers } = webhook();
    const answer = await post({ ...signed(), [VIEWER_ADDRESS_HEADER]: `${COURIER_IP}:51234`, 'x-forwarded-for': COURIER_IP }, COURIER_IP, body);
    expect([answer.statusCode, JSON.parse(answer.body).error]).toEqual([403, 'forbidden']);
    expect(loadCouriers).not.toHaveBeenCalled();
  });

  it('without an edge, a forged viewer address or X-Forwarded-For is ignored: the TCP peer decides', async () => {
    const { post } = webhook(directOrigin);
    const forged = { ...signed(), [VIEWER_ADDRESS_HEADER]: `${COURIER_IP}:51234`, 'x-forwarded-for': COURIER_IP };
    expect((await post(forged, '198.51.100.9', body)).statusCode).toBe(401);
    expect((await post(signed(), COURIER_IP, body)).statusCode).toBe(200);
  });
});

/** What the webhook refuses of a request before reading its events (functions/courier-webhook/request.ts), and bodies API Gateway base64-encodes. */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { localLambdaContext } from '../../../local/event-source/lambda-context.js';
import { COURIER_EVENTS_ROUTE } from '../../../local/http/courier-webhook.js';
import { signCourierRequest } from '../../../shared/tooling/courier-signing.js';
import { CURRENT, OTHER } from './couriers.js';
import { genericEvent } from './payloads.js';
import { useWebhook } from './webhook-setup.js';

const startWebhook = useWebhook();

describe('courier webhook over HTTP: requests', () => {
  it('refuses an oversize body with 413, before checking its signature', async () => {
    const webhook = await startWebhook();
    const events = Array.from({ length: 3_000 }, (_, i) => genericEvent(`K${String(i).padStart(8, '0')}`));
    const answer = await webhook.post('acme-courier', { events }, { secrets: [OTHER] });
    expect(answer.status).toBe(413);
    expect(answer.body).toEqual({ error: 'payload_too_large', message: 'the body must not exceed 262144 bytes' });
  });

  it('refuses anything but JSON with 415', async () => {
    const webhook = await startWebhook();
    for (const contentType of ['text/plain', 'application/xml', 'application/json; charset=latin1', 'application/x-www-form-urlencoded']) {
      const answer = await webhook.post('acme-courier', genericEvent('4240181601'), { headers: { 'content-type': contentType } });
      expect(answer.status, contentType).toBe(415);
      expect(answer.body.error).toBe('unsupported_media_type');
    }
    const utf8 = await webhook.post('acme-courier', genericEvent('4240181601'), { headers: { 'content-type': 'application/json; charset=UTF-8' } });
    expect(utf8.status).toBe(202);
  });

  it('answers malformed JSON with 400 and does not echo the body', async () => {
    const webhook = await startWebhook();
    const answer = await webhook.post('acme-courier', '{"kitNo": "4240181602", "status": DELIVERED');
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ error: 'malformed_json', message: 'the body is not valid JSON' });
  });

  it('answers a courier that is not configured exactly as a known courier with a bad signature, so courier names cannot be enumerated', async () => {
    const webhook = await startWebhook();
    const seen = (answer: Awaited<ReturnType<typeof webhook.post>>) => ({
      status: answer.status,
      text: answer.text,
      contentType: answer.headers.get('content-type'),
      cacheControl: answer.headers.get('cache-control'),
    });
    const unknown = await webhook.post('fedex', genericEvent('4240181604'), { secrets: [OTHER] });
    const forged = await webhook.post('acme-courier', genericEvent('4240181604'), { secrets: [OTHER] });
    expect(seen(unknown)).toEqual(seen(forged));
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual({ error: 'unauthorized', message: 'missing, expired or invalid credentials' });
    // The checks before authentication answer alike too.
    const notJson = { headers: { 'content-type': 'text/plain' } };
    expect(seen(await webhook.post('fedex', genericEvent('4240181605'), notJson))).toEqual(seen(await webhook.post('acme-courier', genericEvent('4240181605'), notJson)));
  });

  it('reads base64-encoded bodies (isBase64Encoded), checking the signature over the decoded bytes', async () => {
    const webhook = await startWebhook();
    const body = Buffer.from(JSON.stringify(genericEvent('42401860')));
    const headers = signCourierRequest({ secrets: [CURRENT], body });
    const event = {
      version: '2.0',
      routeKey: COURIER_EVENTS_ROUTE,
      rawPath: '/couriers/acme-courier/events',
      rawQueryString: '',
      headers,
      pathParameters: { courier: 'acme-courier' },
      requestContext: { http: { method: 'POST', path: '/couriers/acme-courier/events', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' } },
      body: body.toString('base64'),
      isBase64Encoded: true,
    } as unknown as APIGatewayProxyEventV2;
    const answer = await webhook.handler(event, localLambdaContext('courier-webhook', 10));
    expect(answer.statusCode).toBe(202);
    expect(await webhook.queued()).toHaveLength(1);
  });
});

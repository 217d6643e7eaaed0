import { ReceiveMessageCommand, SendMessageBatchCommand, type SendMessageBatchCommandInput } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { createCourierWebhookHandler, type CourierWebhookDependencies, type CourierWebhookHandler } from '../../functions/courier-webhook/app.js';
import { courierDirectoryLoader, type CourierSettingsInput } from '../../functions/courier-webhook/couriers.js';
import type { SendBatch } from '../../functions/courier-webhook/enqueue.js';
import { DynamoReplayGuard, replayKey } from '../../functions/courier-webhook/replay.js';
import { staticSecretsSource, type CourierSecrets } from '../../functions/courier-webhook/secrets.js';
import { localLambdaContext } from '../../local/event-source/lambda-context.js';
import { startApiGatewayServer, type RunningApiGatewayServer } from '../../local/http/api-gateway-server.js';
import { COURIER_EVENTS_ROUTE } from '../../local/http/courier-webhook.js';
import { courierEventsUrl, signCourierRequest } from '../../local/ops/sign.js';
import { COURIER_KIT_STATUS, parseEvent } from '../../shared/contracts/index.js';
import { createTelemetry } from '../../shared/observability/telemetry.js';
import { localAws, type LocalAws } from '../support/local-aws.js';
import { startWorkerHarness, type WorkerHarness } from '../support/worker-harness.js';

const CURRENT = 'current-courier-signing-key-000000000001';
const PREVIOUS = 'previous-courier-signing-key-00000000002';
const OTHER = 'someone-elses-signing-key-0000000000003';

const COURIERS: CourierSettingsInput[] = [
  { courier: 'bluedart', tenant: 'ACME_BANK', format: 'bluedart', secretId: 'bluedart', statusCodes: { 'RT/BRC': 'BANK' } },
  { courier: 'acme-courier', tenant: 'GLOBEX_BANK', format: 'generic', secretId: 'acme-courier' },
  { courier: 'rotating', tenant: 'ACME_BANK', format: 'generic', secretId: 'rotating' },
  { courier: 'slow-lane', tenant: 'ACME_BANK', format: 'generic', secretId: 'slow-lane', rateLimit: { perSecond: 0.01, burst: 2 } },
];
const SECRETS: Record<string, CourierSecrets> = {
  bluedart: { current: CURRENT },
  'acme-courier': { current: CURRENT },
  rotating: { current: CURRENT, previous: PREVIOUS },
  'slow-lane': { current: CURRENT },
};

interface Webhook {
  aws: LocalAws;
  queueUrl: string;
  handler: CourierWebhookHandler;
  server: RunningApiGatewayServer;
  post(courier: string, body: string | object, options?: { secrets?: string[]; timestamp?: number; headers?: Record<string, string> }): Promise<Answer>;
  queued(): Promise<Array<{ id: string; type: string; tenant: string; data: Record<string, unknown> }>>;
}

interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
  text: string;
}

const nowSeconds = () => Math.floor(Date.now() / 1_000);

async function startWebhook(options: { aws?: LocalAws; queueUrl?: string; sendBatch?: (real: SendBatch) => SendBatch } = {}): Promise<Webhook> {
  const aws = options.aws ?? (await localAws());
  const queueUrl = options.queueUrl ?? aws.resources.queues.courier.url;
  const real: SendBatch = (input) => aws.sqs.send(new SendMessageBatchCommand(input));
  const deps: CourierWebhookDependencies = {
    couriers: courierDirectoryLoader({ COURIERS_JSON: JSON.stringify(COURIERS) }),
    secrets: staticSecretsSource(SECRETS),
    replay: new DynamoReplayGuard(aws.dynamo, aws.resources.tables.webhookReplay),
    enqueue: { queueUrl, sendBatch: options.sendBatch?.(real) ?? real, retry: { maxRetries: 3, baseDelayMs: 5, maxDelayMs: 20, minAttemptMs: 0 }, concurrency: 5 },
    telemetry: createTelemetry('courier-webhook-test'),
    limits: { maxBodyBytes: 256 * 1_024, maxEventsPerRequest: 500, signatureToleranceSeconds: 300 },
    deadlineMarginMs: 500,
  };
  const handler = createCourierWebhookHandler(deps);
  const server = await startApiGatewayServer({ port: 0, routes: { [COURIER_EVENTS_ROUTE]: handler } });
  return {
    aws,
    queueUrl,
    handler,
    server,
    async post(courier, body, postOptions = {}) {
      const bytes = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
      const signed = signCourierRequest({ secrets: postOptions.secrets ?? [CURRENT], body: bytes, timestamp: postOptions.timestamp });
      const response = await fetch(courierEventsUrl(server.url, courier), { method: 'POST', headers: { ...signed, ...postOptions.headers }, body: bytes });
      const text = await response.text();
      return { status: response.status, headers: response.headers, text, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
    },
    async queued() {
      const all = [];
      for (;;) {
        const { Messages } = await aws.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, VisibilityTimeout: 60 }));
        if (!Messages?.length) return all;
        // Every message must be a valid event of the contract the worker applies.
        all.push(...Messages.map((m) => parseEvent(m.Body!, [COURIER_KIT_STATUS], new Set(['ACME_BANK', 'GLOBEX_BANK']))));
      }
    },
  };
}

const genericEvent = (kitNo: string, status = 'DELIVERED', occurredAt = '2026-04-15T11:11:00+05:30') => ({ kitNo, status, occurredAt, awb: `AWB${kitNo}`, location: 'CHENNAI' });

const blueDartScan = (scanType: string, scanCode: string | number, scanDate: string, scanTime: string) => ({
  scan: 'SHIPMENT SCAN',
  scanCode,
  scanDate,
  scanTime,
  scanType,
  scannedLocation: 'DALHOUSIE',
  inudsIndStatus: 'In-transit',
});

const blueDartBody = (shipments: Array<{ kitNo: string; waybillNo: string; scans: object[] }>) => ({
  shipmentData: {
    shipment: shipments.map((s) => ({ deliveryService: 'BLUE DART', receivedBy: 'PRASENJIT', waybillNo: s.waybillNo, kitNo: s.kitNo, scans: { scanDetail: s.scans } })),
  },
});

describe('courier webhook over HTTP', () => {
  let webhook: Webhook | undefined;
  afterEach(async () => {
    await webhook?.server.close();
    webhook = undefined;
  });

  it('accepts one signed generic event: 202 with its id, one CloudEvent for the courier’s tenant on the queue', async () => {
    webhook = await startWebhook();
    const answer = await webhook.post('acme-courier', genericEvent('4240181595'));
    expect(answer.status).toBe(202);
    expect(answer.body).toEqual({ accepted: 1, eventIds: [expect.any(String)] });
    const [queued, ...rest] = await webhook.queued();
    expect(rest).toHaveLength(0);
    expect(queued).toMatchObject({
      id: (answer.body.eventIds as string[])[0],
      type: COURIER_KIT_STATUS,
      tenant: 'GLOBEX_BANK',
      source: 'urn:courier:acme-courier',
      time: '2026-04-15T11:11:00+05:30',
      data: { kitNo: '4240181595', status: 'DELIVERED', occurredAt: '2026-04-15T11:11:00+05:30', awb: 'AWB4240181595', courier: 'acme-courier', location: 'CHENNAI' },
    });
  });

  it('accepts a Blue Dart batch: every scan of every shipment becomes an event, with a deterministic id', async () => {
    webhook = await startWebhook();
    const body = blueDartBody([
      { kitNo: '41063130', waybillNo: '32592631260', scans: [blueDartScan('DL', '000', '15-Apr-2026', '11:11'), blueDartScan('UD', 9, '13-Apr-2026', '10:07')] },
      { kitNo: '41063131', waybillNo: '32592631261', scans: [blueDartScan('RT', '021', '16-Apr-2026', '09:30'), blueDartScan('RT', 'BRC', '18-Apr-2026', '16:45')] },
    ]);
    const timestamp = nowSeconds();
    const first = await webhook.post('bluedart', body, { timestamp });
    expect(first.status).toBe(202);
    expect(first.body.accepted).toBe(4);
    const queued = await webhook.queued();
    expect(queued.map((e) => [e.data.kitNo, e.data.status, e.data.occurredAt]).sort()).toEqual([
      ['41063130', 'DELIVERED', '2026-04-15T11:11:00+05:30'],
      ['41063130', 'IN_TRANSIT', '2026-04-13T10:07:00+05:30'],
      ['41063131', 'BANK', '2026-04-18T16:45:00+05:30'],
      ['41063131', 'RETURNED', '2026-04-16T09:30:00+05:30'],
    ]);
    expect(queued.every((e) => e.tenant === 'ACME_BANK' && !JSON.stringify(e).includes('PRASENJIT'))).toBe(true);

    // The same scans in a new request (a courier re-sending its history, newly signed) keep their ids.
    const again = await webhook.post('bluedart', body, { timestamp: timestamp - 1 });
    expect(again.status).toBe(202);
    expect(again.body.eventIds).toEqual(first.body.eventIds);
  });

  it('answers every authentication failure with one identical 401 and queues nothing', async () => {
    webhook = await startWebhook();
    const event = genericEvent('4240181596');
    const body = Buffer.from(JSON.stringify(event));
    const signed = signCourierRequest({ secrets: [CURRENT], body });
    const url = courierEventsUrl(webhook.server.url, 'acme-courier');
    const attempts: Array<Record<string, string>> = [
      { 'content-type': 'application/json' },
      { ...signed, 'x-signature': signed['x-signature'].replace(/.$/, (c) => (c === '0' ? '1' : '0')) },
      signCourierRequest({ secrets: [OTHER], body }),
      { ...signed, 'x-signature': 'v1=not-hex' },
      { ...signed, 'x-signature': 'v0=' + signed['x-signature'].slice(3) },
      { ...signed, 'x-signature-timestamp': 'yesterday' },
    ];
    const answers = await Promise.all(attempts.map(async (headers) => fetch(url, { method: 'POST', headers, body }).then(async (r) => [r.status, await r.text()] as const)));
    expect(new Set(answers.map(([status]) => status))).toEqual(new Set([401]));
    expect(new Set(answers.map(([, text]) => text))).toEqual(new Set(['{"error":"unauthorized","message":"missing, expired or invalid signature"}']));
    // A body changed after signing is refused too.
    const tampered = await fetch(url, { method: 'POST', headers: signed, body: JSON.stringify({ ...event, status: 'RETURNED' }) });
    expect(tampered.status).toBe(401);
    expect(await webhook.queued()).toHaveLength(0);
  });

  it('refuses timestamps more than five minutes away, in the past or the future', async () => {
    webhook = await startWebhook();
    const stale = await webhook.post('acme-courier', genericEvent('4240181597'), { timestamp: nowSeconds() - 310 });
    const future = await webhook.post('acme-courier', genericEvent('4240181597'), { timestamp: nowSeconds() + 310 });
    const edge = await webhook.post('acme-courier', genericEvent('4240181597'), { timestamp: nowSeconds() - 290 });
    expect([stale.status, future.status, edge.status]).toEqual([401, 401, 202]);
    expect(stale.text).toBe(future.text);
  });

  it('answers a replayed request 200 with the original ids and queues nothing again', async () => {
    webhook = await startWebhook();
    const timestamp = nowSeconds();
    const first = await webhook.post('acme-courier', { events: [genericEvent('4240181598'), genericEvent('4240181599')] }, { timestamp });
    const replay = await webhook.post('acme-courier', { events: [genericEvent('4240181598'), genericEvent('4240181599')] }, { timestamp });
    expect(first.status).toBe(202);
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual({ accepted: 2, eventIds: first.body.eventIds, replayed: true });
    // Dropping one of two signatures does not make it a new request.
    const stripped = await webhook.post('acme-courier', { events: [genericEvent('4240181598'), genericEvent('4240181599')] }, { timestamp, secrets: [CURRENT, OTHER] });
    expect(stripped.status).toBe(200);
    expect(await webhook.queued()).toHaveLength(2);
  });

  it('answers 409 while the same request is still being processed', async () => {
    webhook = await startWebhook();
    const timestamp = nowSeconds();
    const body = JSON.stringify(genericEvent('4240181600'));
    const guard = new DynamoReplayGuard(webhook.aws.dynamo, webhook.aws.resources.tables.webhookReplay);
    await guard.claim(replayKey('acme-courier', timestamp, Buffer.from(body)), { expiresAtSeconds: timestamp + 600, lockedUntilMs: Date.now() + 60_000 });
    const answer = await webhook.post('acme-courier', body, { timestamp });
    expect(answer.status).toBe(409);
    expect(answer.headers.get('retry-after')).toBe('1');
    expect(answer.body.error).toBe('request_in_progress');
  });

  it('lets a new claim take over an expired replay record or an abandoned claim, never a live one', async () => {
    webhook = await startWebhook();
    const guard = new DynamoReplayGuard(webhook.aws.dynamo, webhook.aws.resources.tables.webhookReplay);
    const now = Date.now();
    const live = { expiresAtSeconds: Math.floor(now / 1_000) + 600, lockedUntilMs: now + 60_000 };
    await guard.claim('expired', { expiresAtSeconds: Math.floor(now / 1_000) - 1, lockedUntilMs: now + 60_000 });
    await guard.claim('abandoned', { ...live, lockedUntilMs: now - 1 });
    await guard.claim('completed', { ...live, lockedUntilMs: now - 1 });
    await guard.complete('completed', ['id-1']);
    expect(await guard.claim('expired', live)).toEqual({ kind: 'claimed' });
    expect(await guard.claim('abandoned', live)).toEqual({ kind: 'claimed' });
    expect(await guard.claim('abandoned', live)).toEqual({ kind: 'inProgress' });
    expect(await guard.claim('completed', live)).toEqual({ kind: 'completed', eventIds: ['id-1'] });
  });

  it('refuses an oversize body with 413, before checking its signature', async () => {
    webhook = await startWebhook();
    const events = Array.from({ length: 3_000 }, (_, i) => genericEvent(`K${String(i).padStart(8, '0')}`));
    const answer = await webhook.post('acme-courier', { events }, { secrets: [OTHER] });
    expect(answer.status).toBe(413);
    expect(answer.body).toEqual({ error: 'payload_too_large', message: 'the body must not exceed 262144 bytes' });
  });

  it('refuses anything but JSON with 415', async () => {
    webhook = await startWebhook();
    for (const contentType of ['text/plain', 'application/xml', 'application/json; charset=latin1', 'application/x-www-form-urlencoded']) {
      const answer = await webhook.post('acme-courier', genericEvent('4240181601'), { headers: { 'content-type': contentType } });
      expect(answer.status, contentType).toBe(415);
      expect(answer.body.error).toBe('unsupported_media_type');
    }
    const utf8 = await webhook.post('acme-courier', genericEvent('4240181601'), { headers: { 'content-type': 'application/json; charset=UTF-8' } });
    expect(utf8.status).toBe(202);
  });

  it('answers malformed JSON with 400 and does not echo the body', async () => {
    webhook = await startWebhook();
    const answer = await webhook.post('acme-courier', '{"kitNo": "4240181602", "status": DELIVERED');
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ error: 'malformed_json', message: 'the body is not valid JSON' });
  });

  it('answers a schema violation with 400 listing each bad field', async () => {
    webhook = await startWebhook();
    const answer = await webhook.post('acme-courier', { events: [{ ...genericEvent('42-40'), status: undefined }, genericEvent('4240181603', 'DELIVERED', '15/04/2026 11:11')] });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe('invalid_request');
    expect((answer.body.issues as Array<{ path: string }>).map((i) => i.path).sort()).toEqual(['events[0].kitNo', 'events[0].status', 'events[1].occurredAt']);
    const blueDart = await webhook.post('bluedart', blueDartBody([{ kitNo: '41063130', waybillNo: '1', scans: [blueDartScan('DL', '000', '31-Feb-2026', '25:00')] }]));
    expect(blueDart.status).toBe(400);
    expect(blueDart.body.issues).toEqual([
      { path: 'shipmentData.shipment[0].scans.scanDetail[0].scanDate', message: 'scanDate must be a date like 15-Apr-2024' },
      { path: 'shipmentData.shipment[0].scans.scanDetail[0].scanTime', message: 'scanTime must be a time like 11:11 (24-hour)' },
    ]);
    const tooMany = await webhook.post('acme-courier', { events: Array.from({ length: 501 }, (_, i) => genericEvent(`K${i}`)) });
    expect([tooMany.status, tooMany.body.issues]).toEqual([400, [{ path: '(root)', message: 'too many events: at most 500 per request, this one has 501' }]]);
    expect(await webhook.queued()).toHaveLength(0);
  });

  it('answers 404 for a courier that is not configured', async () => {
    webhook = await startWebhook();
    const answer = await webhook.post('fedex', genericEvent('4240181604'));
    expect(answer.status).toBe(404);
    expect(answer.body).toEqual({ error: 'unknown_courier', message: 'no courier integration has this name' });
  });

  it('refuses a batch with an unmapped status code whole, with a 422 naming the code', async () => {
    webhook = await startWebhook();
    const answer = await webhook.post(
      'bluedart',
      blueDartBody([{ kitNo: '41063130', waybillNo: '32592631260', scans: [blueDartScan('DL', '000', '15-Apr-2026', '11:11'), blueDartScan('ZZ', 42, '15-Apr-2026', '12:00')] }]),
    );
    expect(answer.status).toBe(422);
    expect(answer.body).toEqual({ error: 'unknown_status_code', message: 'no delivery status is mapped for courier code ZZ/42; nothing was accepted', codes: ['ZZ/42'] });
    const generic = await webhook.post('acme-courier', genericEvent('4240181605', 'OUT_FOR_DELIVERY'));
    expect(generic.status).toBe(422);
    expect(generic.body.codes).toEqual(['OUT_FOR_DELIVERY']);
    expect(await webhook.queued()).toHaveLength(0);
  });

  it('retries SendMessageBatch entries that failed and queues each event once', async () => {
    let failuresLeft = 3;
    const sent: number[] = [];
    webhook = await startWebhook({
      // The first three entries SQS is given fail, whichever call carries them.
      sendBatch: (real) => async (input: SendMessageBatchCommandInput) => {
        sent.push(input.Entries!.length);
        const failing = input.Entries!.slice(0, failuresLeft);
        failuresLeft -= failing.length;
        const passing = input.Entries!.slice(failing.length);
        const output = passing.length ? await real({ ...input, Entries: passing }) : { Successful: [], $metadata: {} };
        return { ...output, Failed: failing.map((e) => ({ Id: e.Id, Code: 'InternalError', SenderFault: false })) };
      },
    });
    const events = Array.from({ length: 12 }, (_, i) => genericEvent(`4240182${String(i).padStart(3, '0')}`));
    const answer = await webhook.post('acme-courier', { events });
    expect(answer.status).toBe(202);
    expect(sent.length).toBeGreaterThan(2);
    const queued = await webhook.queued();
    expect(queued).toHaveLength(12);
    expect(new Set(queued.map((e) => e.id)).size).toBe(12);
  });

  it('answers 503 when entries still fail after the retries, and lets the courier’s retry of that same request through', async () => {
    let healthy = false;
    webhook = await startWebhook({
      sendBatch: (real) => async (input) => {
        if (healthy) return real(input);
        const [failing, ...passing] = input.Entries!;
        const output = passing.length ? await real({ ...input, Entries: passing }) : { Successful: [], $metadata: {} };
        return { ...output, Failed: [{ Id: failing!.Id, Code: 'ServiceUnavailable', SenderFault: false }] };
      },
    });
    const timestamp = nowSeconds();
    const events = { events: Array.from({ length: 3 }, (_, i) => genericEvent(`4240183${i}`)) };
    const failed = await webhook.post('acme-courier', events, { timestamp });
    expect(failed.status).toBe(503);
    expect(failed.headers.get('retry-after')).toBe('5');
    expect(failed.body.error).toBe('enqueue_failed');
    healthy = true;
    const retried = await webhook.post('acme-courier', events, { timestamp });
    expect(retried.status).toBe(202);
    // At least once: the entries that went through on the failed attempt are there twice, with the same ids.
    const queued = await webhook.queued();
    expect(new Set(queued.map((e) => e.id))).toEqual(new Set(retried.body.eventIds as string[]));
  });

  it('accepts both keys of a rotation, alone or together, and nothing else', async () => {
    webhook = await startWebhook();
    const answers = await Promise.all(
      [[PREVIOUS], [CURRENT], [CURRENT, PREVIOUS], [OTHER, CURRENT], [OTHER]].map((secrets, i) => webhook!.post('rotating', genericEvent(`4240184${i}`), { secrets })),
    );
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202, 202, 401]);
    // The previous key of one courier is nobody else's key.
    expect((await webhook.post('acme-courier', genericEvent('42401845'), { secrets: [PREVIOUS] })).status).toBe(401);
  });

  it('answers 429 with Retry-After when a courier exceeds its rate, without spending tokens on forged requests', async () => {
    webhook = await startWebhook();
    const forged = await webhook.post('slow-lane', genericEvent('42401850'), { secrets: [OTHER] });
    expect(forged.status).toBe(401);
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await webhook.post('slow-lane', genericEvent(`4240185${i + 1}`))).status);
    expect(statuses).toEqual([202, 202, 429]);
    const limited = await webhook.post('slow-lane', genericEvent('42401855'));
    expect(limited.body.error).toBe('rate_limited');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('reads base64-encoded bodies (isBase64Encoded), checking the signature over the decoded bytes', async () => {
    webhook = await startWebhook();
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

describe('local API Gateway (HTTP API, payload 2.0)', () => {
  let server: RunningApiGatewayServer | undefined;
  afterEach(async () => server?.close());

  it('builds the v2 event from the request and writes the structured result back', async () => {
    const seen: APIGatewayProxyEventV2[] = [];
    server = await startApiGatewayServer({
      port: 0,
      routes: {
        'POST /couriers/{courier}/events': async (event) => {
          seen.push(event);
          return { statusCode: 201, headers: { 'X-Echo': event.pathParameters?.courier ?? '' }, body: Buffer.from('binary').toString('base64'), isBase64Encoded: true };
        },
        'GET /files/{path+}': async (event) => ({ statusCode: 200, body: event.pathParameters?.path ?? '' }),
      },
    });
    const response = await fetch(`${server.url}/couriers/blue%20dart/events?a=1&a=2&b=x`, { method: 'POST', headers: { 'Content-Type': 'application/octet-stream', 'X-Mixed-Case': 'v' }, body: Buffer.from([0, 1, 2]) });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-echo')).toBe('blue dart');
    expect(await response.text()).toBe('binary');
    const [event] = seen;
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'POST /couriers/{courier}/events',
      rawPath: '/couriers/blue%20dart/events',
      rawQueryString: 'a=1&a=2&b=x',
      queryStringParameters: { a: '1,2', b: 'x' },
      pathParameters: { courier: 'blue dart' },
      headers: { 'content-type': 'application/octet-stream', 'x-mixed-case': 'v' },
      requestContext: { http: { method: 'POST', path: '/couriers/blue%20dart/events', sourceIp: '127.0.0.1' }, routeKey: 'POST /couriers/{courier}/events', stage: '$default' },
      body: Buffer.from([0, 1, 2]).toString('base64'),
      isBase64Encoded: true,
    });
    expect(await (await fetch(`${server.url}/files/a/b/c.txt`)).text()).toBe('a/b/c.txt');
    const missing = await fetch(`${server.url}/couriers/x/other`, { method: 'POST' });
    expect([missing.status, await missing.json()]).toEqual([404, { message: 'Not Found' }]);
    const wrongMethod = await fetch(`${server.url}/couriers/x/events`);
    expect(wrongMethod.status).toBe(404);
  });

  it('answers 500 like the gateway when the function throws', async () => {
    server = await startApiGatewayServer({ port: 0, routes: { 'POST /boom': async () => Promise.reject(new Error('expected in this test')) } });
    const response = await fetch(`${server.url}/boom`, { method: 'POST' });
    expect([response.status, await response.json()]).toEqual([500, { message: 'Internal Server Error' }]);
  });
});

describe('courier webhook end to end', () => {
  let harness: WorkerHarness | undefined;
  let webhook: Webhook | undefined;
  afterEach(async () => {
    await webhook?.server.close();
    await harness?.close();
  });

  it('delivers accepted scans through the courier queue and worker to DCMS', async () => {
    harness = await startWorkerHarness('courier');
    const kitNo = await issuePhysicalKit(harness.dcms.url, 'E2E-C1');
    webhook = await startWebhook({ aws: harness.aws, queueUrl: harness.queueUrl });

    const answer = await webhook.post(
      'bluedart',
      blueDartBody([{ kitNo, waybillNo: '32592631260', scans: [blueDartScan('DL', '000', '15-Apr-2026', '11:11'), blueDartScan('UD', 9, '13-Apr-2026', '10:07')] }]),
    );
    expect(answer.status).toBe(202);
    await harness.drain();

    const kit = harness.dcms.kit('ACME_BANK', kitNo);
    expect(kit?.deliveryStatus).toBe('DELIVERED');
    // The older in-transit scan of the same batch is stale: only the newest status was sent.
    expect(kit?.deliveryHistory.map((change) => change.status)).toEqual(['DELIVERED']);
    expect(await harness.deadLetters()).toHaveLength(0);
  });
});

/** A customer with an insta-card (PHYSICAL), registered straight on the DCMS sandbox; returns the kit. */
async function issuePhysicalKit(dcmsUrl: string, entityId: string): Promise<string> {
  const response = await fetch(`${dcmsUrl}/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', tenant: 'ACME_BANK' },
    body: JSON.stringify({
      entityId,
      entityType: 'CUSTOMER',
      businessType: 'ACME_BANK',
      business: 'ACME_BANK',
      businessId: '687',
      firstName: 'Aadhu',
      lastName: 'Chandran',
      gender: 'FEMALE',
      dob: '1978-06-01',
      deliveryAddress: 'PERMANENT',
      addressInfo: [{ address1: 'Olympia Quest', addressCategory: 'PERMANENT', city: 'CHENNAI', state: 'TAMILNADU', country: 'INDIA', pincode: '600032' }],
      communicationInfo: [{ contactNo: '9876543210', notification: true }],
      kycInfo: [{ documentType: 'PAN', documentNo: 'ABCDE1234F' }],
      accountInfo: [{ accountNo: '8642135', accountStatus: 'ACTIVE', accountType: 'SAVING', accountsCurrency: 'INR', isPrimary: true, schemeCode: '2003' }],
      kitInfo: [{ accountNo: '8642135', cardType: 'PHYSICAL' }],
    }),
  });
  const body = (await response.json()) as { result: { kitInfo: Array<{ kitNo: string }> } };
  expect(response.status).toBe(200);
  return body.result.kitInfo[0]!.kitNo;
}

import { ReceiveMessageCommand, SendMessageBatchCommand, type SendMessageBatchCommandInput } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { createCourierWebhookHandler, type CourierWebhookDependencies, type CourierWebhookHandler } from '../../functions/courier-webhook/webhook.js';
import { courierDirectoryLoader, type CourierSettingsInput } from '../../functions/courier-webhook/couriers.js';
import type { SendBatch } from '../../functions/courier-webhook/enqueue.js';
import { DynamoReplayGuard, replayKey } from '../../functions/courier-webhook/replay.js';
import { AwbIndex } from '../../shared/persistence/awb-index.js';
import { staticSecretsSource, type CourierSecrets } from '../../functions/courier-webhook/secrets.js';
import { localLambdaContext } from '../../local/event-source/lambda-context.js';
import { startApiGatewayServer, type RunningApiGatewayServer } from '../../local/http/api-gateway-server.js';
import { COURIER_EVENTS_ROUTE } from '../../local/http/courier-webhook.js';
import { courierEventsUrl, signCourierRequest } from '../../ops/sign.js';
import { COURIER_KIT_STATUS, parseEvent } from '../../shared/contracts/index.js';
import { createTelemetry } from '../../shared/observability/telemetry.js';
import { localAws, type LocalAws } from '../support/local-aws.js';
import { startWorkerHarness, type WorkerHarness } from '../support/worker-harness.js';
import { issueKits } from '../support/dcms-fixtures.js';

const CURRENT = 'current-courier-signing-key-000000000001';
const PREVIOUS = 'previous-courier-signing-key-00000000002';
const OTHER = 'someone-elses-signing-key-0000000000003';

/** Tokens of the token integrations: the current one, and the previous one still valid during a rotation. */
const TOKEN = 'current-courier-static-token-0000000000001';
const OLD_TOKEN = 'previous-courier-static-token-000000000002';
const REASON = 'this courier pushes with a static header and cannot sign requests';

const COURIERS: CourierSettingsInput[] = [
  {
    courier: 'bluedart',
    tenant: 'ACME_BANK',
    format: 'bluedart',
    secretId: 'bluedart',
    auth: { mode: 'token', header: 'x-api-key', reason: REASON },
    kitLookup: 'referenceOrAwb',
    statusCodes: { 'RT/BRC': 'BANK' },
  },
  { courier: 'delhivery', tenant: 'ACME_BANK', format: 'delhivery', secretId: 'delhivery', auth: { mode: 'token', header: 'authorization', prefix: 'Token ', reason: REASON }, kitLookup: 'referenceOrAwb' },
  { courier: 'shiprocket', tenant: 'GLOBEX_BANK', format: 'shiprocket', secretId: 'shiprocket', auth: { mode: 'token', header: 'x-api-key', reason: REASON, sourceIps: ['127.0.0.0/8', '::1'] } },
  { courier: 'walled', tenant: 'ACME_BANK', format: 'generic', secretId: 'walled', auth: { mode: 'hmac', sourceIps: ['203.0.113.0/24'] } },
  { courier: 'acme-courier', tenant: 'GLOBEX_BANK', format: 'generic', secretId: 'acme-courier' },
  { courier: 'rotating', tenant: 'ACME_BANK', format: 'generic', secretId: 'rotating' },
  { courier: 'slow-lane', tenant: 'ACME_BANK', format: 'generic', secretId: 'slow-lane', rateLimit: { perSecond: 0.01, burst: 2 } },
];
const SECRETS: Record<string, CourierSecrets> = {
  bluedart: { current: TOKEN, previous: OLD_TOKEN },
  delhivery: { current: TOKEN },
  shiprocket: { current: TOKEN },
  walled: { current: CURRENT },
  'acme-courier': { current: CURRENT },
  rotating: { current: CURRENT, previous: PREVIOUS },
  'slow-lane': { current: CURRENT },
};

interface Webhook {
  aws: LocalAws;
  queueUrl: string;
  handler: CourierWebhookHandler;
  server: RunningApiGatewayServer;
  /** Signed (HMAC couriers) or with the token in its header (token couriers), as the courier's integration says. */
  post(courier: string, body: string | object, options?: { secrets?: string[]; timestamp?: number; token?: string; headers?: Record<string, string> }): Promise<Answer>;
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
    awbIndex: new AwbIndex(aws.dynamo, aws.resources.tables.integrationState),
    enqueue: { queueUrl, sendBatch: options.sendBatch?.(real) ?? real, retry: { maxRetries: 3, baseDelayMs: 5, maxDelayMs: 20, minAttemptMs: 0 }, concurrency: 5 },
    telemetry: createTelemetry('courier-webhook-test'),
    limits: { maxBodyBytes: 256 * 1_024, maxEventsPerRequest: 500, signatureToleranceSeconds: 300, maxFutureSeconds: 600, earliestOccurredAtMs: Date.parse('2020-01-01T00:00:00Z') },
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
      const auth = COURIERS.find((c) => c.courier === courier)?.auth;
      const credentials =
        auth?.mode === 'token'
          ? { 'content-type': 'application/json', [auth.header]: `${auth.prefix ?? ''}${postOptions.token ?? TOKEN}` }
          : signCourierRequest({ secrets: postOptions.secrets ?? [CURRENT], body: bytes, timestamp: postOptions.timestamp });
      const response = await fetch(courierEventsUrl(server.url, courier), { method: 'POST', headers: { ...credentials, ...postOptions.headers }, body: bytes });
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

/** Blue Dart's push (mapping/bluedart.ts): one ScanDetail. */
const blueDartScan = (ScanType: string, ScanCode: string | number, ScanDate: string, ScanTime: string) => ({
  ScanType,
  ScanGroupType: 'S',
  ScanCode,
  Scan: 'SHIPMENT SCAN',
  ScanDate,
  ScanTime,
  ScannedLocation: 'DALHOUSIE',
});

/** Blue Dart's push: `statustracking[].Shipment`, our kit number in RefNo (or none: the AWB must then be known). */
const blueDartBody = (shipments: Array<{ kitNo?: string; waybillNo: string; scans: object[] }>) => ({
  statustracking: shipments.map((s) => ({
    Shipment: {
      WaybillNo: s.waybillNo,
      RefNo: s.kitNo ?? '',
      Prodcode: 'D',
      Origin: 'MUMBAI',
      Destination: 'KOLKATA',
      Scans: { DeliveryDetails: { ReceivedBy: 'PRASENJIT', Relation: 'SELF' }, ScanDetail: s.scans },
    },
  })),
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

  it('accepts a Blue Dart push: every scan of every shipment becomes an event, with a deterministic id', async () => {
    webhook = await startWebhook();
    const shipments = [
      { kitNo: '41063130', waybillNo: '32592631260', scans: [blueDartScan('DL', '000', '15-Apr-2026', '11:11'), blueDartScan('UD', 9, '13-Apr-2026', '10:07')] },
      { kitNo: '41063131', waybillNo: '32592631261', scans: [blueDartScan('RT', '021', '16-Apr-2026', '09:30'), blueDartScan('RT', 'BRC', '18-Apr-2026', '16:45')] },
    ];
    const first = await webhook.post('bluedart', blueDartBody(shipments));
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

    // The same push again (a retry of a token integration) is a replay: the same ids, nothing queued.
    const retried = await webhook.post('bluedart', blueDartBody(shipments));
    expect([retried.status, retried.body.eventIds]).toEqual([200, first.body.eventIds]);
    // The history again with one more scan: the old scans keep their ids.
    const longer = await webhook.post('bluedart', blueDartBody([{ ...shipments[0]!, scans: [...shipments[0]!.scans, blueDartScan('UD', '002', '15-Apr-2026', '08:00')] }, shipments[1]!]));
    expect(longer.status).toBe(202);
    expect(longer.body.eventIds).toEqual(expect.arrayContaining(first.body.eventIds as string[]));
    expect(await webhook.queued()).toHaveLength(5);
  });

  it('finds a kit by the AWB learnt from an earlier scan that carried both, and refuses an AWB never paired with a kit', async () => {
    webhook = await startWebhook();
    const unknown = await webhook.post('bluedart', blueDartBody([{ waybillNo: '50000000001', scans: [blueDartScan('UD', '002', '15-Apr-2026', '08:00')] }]));
    expect(unknown.status).toBe(422);
    expect(unknown.body).toMatchObject({ error: 'unknown_awb', awbs: ['50000000001'] });

    const booked = await webhook.post('bluedart', blueDartBody([{ kitNo: '41063140', waybillNo: '50000000001', scans: [blueDartScan('UD', '001', '14-Apr-2026', '18:00')] }]));
    expect(booked.status).toBe(202);
    const later = await webhook.post('bluedart', blueDartBody([{ waybillNo: '50000000001', scans: [blueDartScan('DL', '000', '15-Apr-2026', '11:11')] }]));
    expect(later.status).toBe(202);
    // One push can teach and use a pair: the second shipment names its kit only by the first one's AWB.
    const both = await webhook.post(
      'bluedart',
      blueDartBody([
        { waybillNo: '50000000002', scans: [blueDartScan('UD', '002', '15-Apr-2026', '09:00')] },
        { kitNo: '41063141', waybillNo: '50000000002', scans: [blueDartScan('UD', '001', '14-Apr-2026', '18:00')] },
      ]),
    );
    expect(both.status).toBe(202);
    const queued = await webhook.queued();
    expect(queued.map((e) => [e.data.kitNo, e.data.awb, e.data.status]).sort()).toEqual([
      ['41063140', '50000000001', 'DELIVERED'],
      ['41063140', '50000000001', 'IN_TRANSIT'],
      ['41063141', '50000000002', 'IN_TRANSIT'],
      ['41063141', '50000000002', 'IN_TRANSIT'],
    ]);
    // The first pair stays: a scan pairing the AWB with another kit keeps its own reference and changes nothing.
    const index = new AwbIndex(webhook.aws.dynamo, webhook.aws.resources.tables.integrationState);
    expect(await webhook.post('bluedart', blueDartBody([{ kitNo: '41063199', waybillNo: '50000000001', scans: [blueDartScan('UD', '003', '15-Apr-2026', '10:00')] }]))).toMatchObject({ status: 202 });
    expect(await index.lookup({ tenant: 'ACME_BANK', courier: 'bluedart' }, ['50000000001', '50000000002', '50000000003'])).toEqual(
      new Map([
        ['50000000001', '41063140'],
        ['50000000002', '41063141'],
      ]),
    );
    // Learnt per tenant and integration: another integration knows nothing of it.
    expect(await index.lookup({ tenant: 'ACME_BANK', courier: 'delhivery' }, ['50000000001'])).toEqual(new Map());
  });

  it('AWB index: a pair past its time to live is forgotten and can be learnt again', async () => {
    const aws = await localAws();
    const key = { tenant: 'ACME_BANK', courier: 'bluedart' };
    let now = Date.parse('2026-04-15T00:00:00Z');
    const index = new AwbIndex(aws.dynamo, aws.resources.tables.integrationState, () => now);
    expect(await index.learn(key, '70000000001', 'K1')).toEqual({ kind: 'learnt' });
    expect(await index.learn(key, '70000000001', 'K1')).toEqual({ kind: 'known' });
    expect(await index.learn(key, '70000000001', 'K2')).toEqual({ kind: 'conflict', kitNo: 'K1' });
    now += 181 * 86_400_000;
    // DynamoDB deletes expired items days late: until then the index must not answer with them.
    expect(await index.lookup(key, ['70000000001'])).toEqual(new Map());
    expect(await index.learn(key, '70000000001', 'K2')).toEqual({ kind: 'learnt' });
    expect(await index.lookup(key, ['70000000001'])).toEqual(new Map([['70000000001', 'K2']]));
  });

  it('accepts a Delhivery push with its Authorization token and a Shiprocket push with its x-api-key', async () => {
    webhook = await startWebhook();
    const delhivery = await webhook.post('delhivery', {
      Shipment: { AWB: '1234567890123', ReferenceNo: '4240181650', Status: { Status: 'RTO', StatusType: 'DL', StatusDateTime: '2026-04-15T11:11:00.556', StatusLocation: 'Chennai' } },
    });
    expect(delhivery.status).toBe(202);
    const shiprocket = await webhook.post('shiprocket', { awb: '19041424751540', order_id: '4240181651', shipment_status_id: 7, current_timestamp: '2026-04-15 12:00:00', is_return: 0 });
    expect(shiprocket.status).toBe(202);
    const queued = await webhook.queued();
    expect(queued.map((e) => [e.tenant, e.data.courier, e.data.kitNo, e.data.status, e.data.occurredAt]).sort()).toEqual([
      ['ACME_BANK', 'delhivery', '4240181650', 'RETURNED', '2026-04-15T11:11:00.556+05:30'],
      ['GLOBEX_BANK', 'shiprocket', '4240181651', 'DELIVERED', '2026-04-15T12:00:00+05:30'],
    ]);
  });

  it('token integrations: both values of a rotation pass, anything else gets the same 401, and a signature is no token', async () => {
    webhook = await startWebhook();
    const body = blueDartBody([{ kitNo: '41063150', waybillNo: '32592631270', scans: [blueDartScan('UD', '002', '15-Apr-2026', '08:00')] }]);
    const withToken = (token: string, i: number) => webhook!.post('bluedart', { ...body, note: i }, { token });
    const answers = await Promise.all([TOKEN, OLD_TOKEN, `${TOKEN}x`, TOKEN.slice(0, -1), '', CURRENT].map(withToken));
    expect(answers.map((a) => a.status)).toEqual([202, 202, 401, 401, 401, 401]);
    expect(new Set(answers.slice(2).map((a) => a.text)).size).toBe(1);
    // Delhivery's header carries a scheme: the bare token, or HMAC headers, are refused.
    const delhivery = { Shipment: { AWB: '1234567890124', ReferenceNo: '4240181652', Status: { Status: 'In Transit', StatusType: 'UD', StatusDateTime: '2026-04-15T11:11:00' } } };
    expect((await webhook.post('delhivery', delhivery, { headers: { authorization: TOKEN } })).status).toBe(401);
    expect((await webhook.post('delhivery', delhivery, { headers: { authorization: `token ${TOKEN}` } })).status).toBe(202);
    const signed = signCourierRequest({ secrets: [TOKEN], body: Buffer.from(JSON.stringify(delhivery)) });
    const hmacOnly = await fetch(courierEventsUrl(webhook.server.url, 'delhivery'), { method: 'POST', headers: signed, body: JSON.stringify(delhivery) });
    expect(hmacOnly.status).toBe(401);
  });

  it('refuses a request from outside the courier’s source-IP allow-list, even with a valid signature', async () => {
    webhook = await startWebhook();
    const walled = await webhook.post('walled', genericEvent('4240181660'));
    expect([walled.status, walled.body.error]).toEqual([401, 'unauthorized']);
    // shiprocket allows the loopback block this test calls from.
    expect((await webhook.post('shiprocket', { awb: 'SR1', order_id: '4240181661', shipment_status_id: 18, current_timestamp: '2026-04-15 12:00:00' })).status).toBe(202);
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
    expect(new Set(answers.map(([, text]) => text))).toEqual(new Set(['{"error":"unauthorized","message":"missing, expired or invalid credentials"}']));
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
      { path: 'statustracking[0].Shipment.Scans.ScanDetail[0].ScanDate', message: 'ScanDate must be a date like 15-Apr-2024' },
      { path: 'statustracking[0].Shipment.Scans.ScanDetail[0].ScanTime', message: 'ScanTime must be a time like 11:11 (24-hour)' },
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

describe('courier webhook: defects found by probing', () => {
  let webhook: Webhook | undefined;
  afterEach(async () => {
    await webhook?.server.close();
    webhook = undefined;
  });

  it('refuses a status named after a built-in property with 422 unknown_status_code, never 500', async () => {
    webhook = await startWebhook();
    for (const status of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf']) {
      const answer = await webhook.post('acme-courier', { kitNo: 'K1', status, occurredAt: '2026-04-15T11:11:00+05:30' });
      expect([answer.status, answer.body.error, answer.body.codes], status).toEqual([422, 'unknown_status_code', [status]]);
    }
    const blueDart = await webhook.post('bluedart', blueDartBody([{ kitNo: '41063170', waybillNo: '32592631280', scans: [blueDartScan('toString', 'valueOf', '15-Apr-2026', '11:11')] }]));
    expect([blueDart.status, blueDart.body.codes]).toEqual([422, ['toString/valueOf']]);
    expect(await webhook.queued()).toHaveLength(0);
  });

  it('refuses an occurredAt more than ten minutes ahead or before the floor with 400 naming the field', async () => {
    webhook = await startWebhook();
    for (const occurredAt of ['2099-04-15T11:11:00+05:30', '9999-12-31T23:59:00Z', '0000-01-01T00:00:00Z', new Date(Date.now() + 11 * 60_000).toISOString()]) {
      const answer = await webhook.post('acme-courier', { events: [genericEvent('4240181700'), genericEvent('4240181701', 'DELIVERED', occurredAt)] });
      expect([answer.status, answer.body.error], occurredAt).toEqual([400, 'invalid_request']);
      expect((answer.body.issues as Array<{ path: string }>).map((issue) => issue.path)).toEqual(['events[1].occurredAt']);
    }
    const soon = await webhook.post('acme-courier', genericEvent('4240181702', 'DELIVERED', new Date(Date.now() + 5 * 60_000).toISOString()));
    expect(soon.status).toBe(202);
    expect(await webhook.queued()).toHaveLength(1);
  });

  it('strips characters SQS refuses from free text instead of answering 503 forever', async () => {
    webhook = await startWebhook();
    const answer = await webhook.post('acme-courier', { ...genericEvent('4240181710'), remarks: 'left at\ufffe gate\u0001', location: 'CHEN\uffffNAI' });
    expect(answer.status).toBe(202);
    const [queued] = await webhook.queued();
    expect(queued?.data).toMatchObject({ remarks: 'left at gate', location: 'CHENNAI' });
  });

  it('logs nothing a courier sent beyond codes, ids and lengths', async () => {
    webhook = await startWebhook();
    const person = 'Handed to Ramesh Kumar, 14 Gandhi Street, Mylapore';
    const lines = await capturedOutput(async () => {
      const unknown = await webhook!.post('acme-courier', genericEvent('4240181720', person));
      expect(unknown.status).toBeGreaterThanOrEqual(400);
      const accepted = await webhook!.post('acme-courier', { ...genericEvent('4240181721'), remarks: person, location: 'Ramesh Kumar house' });
      expect(accepted.status).toBe(202);
      await webhook!.post('Ramesh-Kumar-14-Gandhi-Street', genericEvent('4240181722'));
    });
    expect(lines).toContain('courier');
    for (const fragment of ['Ramesh', 'Gandhi', 'Mylapore']) expect(lines).not.toContain(fragment);
  });

  it('answers replays before rate limiting, so they do not use up the courier’s rate', async () => {
    webhook = await startWebhook();
    const timestamp = nowSeconds();
    const first = await webhook.post('slow-lane', genericEvent('42401730'), { timestamp });
    expect(first.status).toBe(202);
    for (let i = 0; i < 60; i += 1) expect((await webhook.post('slow-lane', genericEvent('42401730'), { timestamp })).status).toBe(200);
    const next = await webhook.post('slow-lane', genericEvent('42401731'));
    expect(next.status).toBe(202);
  });
});

/** Everything the code under test writes to stdout and stderr (where Powertools Logger writes) while `run` runs. */
async function capturedOutput(run: () => Promise<void>): Promise<string> {
  const chunks: string[] = [];
  const streams = [process.stdout, process.stderr];
  const writes = streams.map((stream) => stream.write.bind(stream));
  streams.forEach((stream, i) => {
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      chunks.push(String(chunk));
      return writes[i]!(chunk as never, ...(rest as []));
    }) as typeof stream.write;
  });
  try {
    await run();
  } finally {
    streams.forEach((stream, i) => (stream.write = writes[i]!));
  }
  return chunks.join('');
}

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
    const [kitNo] = await issueKits(harness.dcms.url, 1, 'E2E-C');
    webhook = await startWebhook({ aws: harness.aws, queueUrl: harness.queueUrl });

    const answer = await webhook.post(
      'bluedart',
      blueDartBody([{ kitNo, waybillNo: '32592631260', scans: [blueDartScan('DL', '000', '15-Apr-2026', '11:11'), blueDartScan('UD', 9, '13-Apr-2026', '10:07')] }]),
    );
    expect(answer.status).toBe(202);
    await harness.drain();

    const kit = harness.dcms.kit('ACME_BANK', kitNo!);
    expect(kit?.deliveryStatus).toBe('DELIVERED');
    // The older in-transit scan of the same batch is stale: only the newest status was sent.
    expect(kit?.deliveryHistory.map((change) => change.status)).toEqual(['DELIVERED']);
    expect(await harness.deadLetters()).toHaveLength(0);
  });
});

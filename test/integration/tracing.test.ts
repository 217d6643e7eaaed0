import { createSocket, type Socket } from 'node:dgram';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { ReceiveMessageCommand, SendMessageBatchCommand, SQSClient, type SendMessageBatchCommandInput } from '@aws-sdk/client-sqs';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { LOCAL_AWS } from '../../shared/tooling/local-aws.js';
import { createCourierHandler } from '../../functions/courier-events/app.js';
import { localLambdaContext } from '../../local/event-source/lambda-context.js';
import { toRecord } from '../../local/event-source/sqs-poller.js';
import { Tracer } from '../../shared/observability/tracer.js';
import { issueKits } from '../support/dcms-fixtures.js';
import { kitStatus } from '../support/events.js';
import { localAws, type LocalAws } from '../support/local-aws.js';
import { startWorkerHarness } from '../support/worker-harness.js';

const TRACE_ID = '1-6745a1b2-0123456789abcdef01234567';
const LAMBDA_SEGMENT = '53995c3f42cd8ad8';

interface Document {
  name: string;
  id: string;
  trace_id: string;
  parent_id: string;
  start_time: number;
  end_time: number;
  type: string;
  namespace?: string;
  annotations?: Record<string, unknown>;
  http?: { request?: { method: string; url: string }; response?: { status: number } };
  aws?: Record<string, unknown>;
  error?: boolean;
  throttle?: boolean;
  fault?: boolean;
  cause?: { exceptions: { type: string }[] };
}

/** A stand-in for the X-Ray daemon: collects the documents sent to it. */
let daemon: Socket;
let received: Document[] = [];
let web: Server;
let webUrl: string;
let table: string;
let aws: LocalAws;
/** A stand-in for X-Ray's OTLP endpoint: the export requests it received. */
let otlp: Server;
let otlpUrl: string;
let exports: { authorization: string | undefined; body: { resourceSpans: { resource: unknown; scopeSpans: { spans: OtlpSpan[] }[] }[] } }[] = [];

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  attributes: { key: string; value: Record<string, unknown> }[];
  status: { code: number };
}

beforeAll(async () => {
  daemon = createSocket('udp4');
  daemon.on('message', (message) => {
    const [header, body] = message.toString().split('\n');
    expect(JSON.parse(header!)).toEqual({ format: 'json', version: 1 });
    received.push(JSON.parse(body!) as Document);
  });
  await new Promise<void>((resolve) => daemon.bind(0, '127.0.0.1', resolve));
  web = createServer((request, response) => {
    response.statusCode = request.url?.startsWith('/busy') ? 503 : 200;
    response.end('{}');
  });
  await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
  webUrl = `http://127.0.0.1:${(web.address() as AddressInfo).port}`;
  aws = await localAws();
  table = aws.resources.tables.integrationState;
  otlp = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      exports.push({ authorization: request.headers.authorization, body: JSON.parse(body) as (typeof exports)[number]['body'] });
      response.end('{}');
    });
  });
  await new Promise<void>((resolve) => otlp.listen(0, '127.0.0.1', resolve));
  otlpUrl = `http://127.0.0.1:${(otlp.address() as AddressInfo).port}/v1/traces`;
});

afterAll(async () => {
  daemon.close();
  await new Promise((resolve) => web.close(resolve));
  await new Promise((resolve) => otlp.close(resolve));
});

afterEach(() => {
  delete process.env._X_AMZN_TRACE_ID;
  received = [];
  exports = [];
});

const daemonEnv = () => ({ AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${daemon.address().port}` });
const dynamo = () => new DynamoDBClient({ endpoint: inject('dynamoEndpoint'), region: LOCAL_AWS.region, credentials: LOCAL_AWS });

/** A port nothing listens on (fetch refuses well-known "bad" ports such as 1 before any request exists). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The documents the daemon received, once there are `count` of them. */
async function settle(count: number): Promise<Document[]> {
  await vi.waitFor(() => expect(received.length).toBeGreaterThanOrEqual(count), { timeout: 1_000, interval: 10 });
  return received;
}

describe('Tracer', () => {
  it('sends the handler subsegment and, under it, one subsegment per AWS operation and per fetch, flagged as X-Ray expects', async () => {
    const tracer = new Tracer('core-banking-events', daemonEnv());
    // Capturing a client twice records each operation once.
    const client = tracer.captureAWSv3Client(tracer.captureAWSv3Client(dynamo()));
    process.env._X_AMZN_TRACE_ID = `Root=${TRACE_ID};Parent=${LAMBDA_SEGMENT};Sampled=1`;
    const item = { pk: { S: 'TRACE#1' }, sk: { S: 'STATE' } };

    await tracer.traceInvocation('index.handler', async () => {
      await client.send(new PutItemCommand({ TableName: table, Item: item }));
      // Two records in flight together: each call is attributed to this invocation.
      await Promise.all([
        client.send(new PutItemCommand({ TableName: table, Item: item, ConditionExpression: 'attribute_not_exists(pk)' })).catch(() => undefined),
        fetch(`${webUrl}/register?entityId=secret`, { method: 'POST' }).then((r) => r.text()),
        fetch(`${webUrl}/busy`).then((r) => r.text()),
      ]);
    });
    const refusedUrl = `http://127.0.0.1:${await closedPort()}/refused`;
    await expect(tracer.traceInvocation('index.handler', () => fetch(refusedUrl))).rejects.toThrow();
    const documents = await settle(7);

    const [handler, second] = documents.filter((d) => d.name === '## index.handler');
    expect(handler).toMatchObject({ trace_id: TRACE_ID, parent_id: LAMBDA_SEGMENT, type: 'subsegment', annotations: { ColdStart: true, Service: 'core-banking-events' } });
    expect(second).toMatchObject({ annotations: { ColdStart: false }, fault: true, cause: { exceptions: [{ type: 'TypeError' }] } });
    expect(handler!.end_time).toBeGreaterThanOrEqual(handler!.start_time);
    const children = documents.filter((d) => d.parent_id === handler!.id);
    const puts = children.filter((d) => d.name === 'DynamoDB');
    expect(puts).toHaveLength(2);
    expect(puts.find((d) => !d.error)).toMatchObject({ namespace: 'aws', aws: { operation: 'PutItem', table_name: table, retries: 0 }, http: { response: { status: 200 } } });
    expect(puts.find((d) => d.error)).toMatchObject({ aws: { operation: 'PutItem' }, http: { response: { status: 400 } }, cause: { exceptions: [{ type: 'ConditionalCheckFailedException' }] } });
    const calls = children.filter((d) => d.name === '127.0.0.1');
    // The URL is kept without its query string (identifiers stay out of traces).
    expect(calls.find((d) => d.http?.request?.url.endsWith('/register'))).toMatchObject({
      namespace: 'remote',
      http: { request: { method: 'POST', url: `${webUrl}/register` }, response: { status: 200 } },
    });
    expect(calls.find((d) => d.http?.request?.url.endsWith('/busy'))).toMatchObject({ fault: true, http: { response: { status: 503 } } });
    const refused = documents.find((d) => d.parent_id === second!.id);
    expect(refused).toMatchObject({ name: '127.0.0.1', fault: true });
  });

  it('sends nothing for an invocation X-Ray did not sample, nor when tracing is turned off', async () => {
    const sampledOut = new Tracer('courier-events', daemonEnv());
    const client = sampledOut.captureAWSv3Client(dynamo());
    process.env._X_AMZN_TRACE_ID = `Root=${TRACE_ID};Parent=${LAMBDA_SEGMENT};Sampled=0`;
    await sampledOut.traceInvocation('index.handler', async () => {
      await client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'TRACE#2' }, sk: { S: 'STATE' } } }));
      await fetch(`${webUrl}/ok`).then((r) => r.text());
    });

    const off = new Tracer('courier-events', { ...daemonEnv(), POWERTOOLS_TRACE_ENABLED: 'false' });
    const untouched = dynamo();
    const before = untouched.middlewareStack.identify().length;
    expect(off.captureAWSv3Client(untouched).middlewareStack.identify()).toHaveLength(before);
    process.env._X_AMZN_TRACE_ID = `Root=${TRACE_ID};Parent=${LAMBDA_SEGMENT};Sampled=1`;
    await off.traceInvocation('index.handler', async () => undefined);

    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(received).toEqual([]);
  });
});

describe('one trace per event, through the queue', () => {
  it('carries the trace in each message sent, and the worker records the event and its calls in that trace', async () => {
    const queueUrl = aws.resources.queues.courier.url;
    const sqs = () => new SQSClient({ endpoint: inject('sqsEndpoint'), region: LOCAL_AWS.region, credentials: LOCAL_AWS });
    const webhook = new Tracer('courier-webhook', daemonEnv());
    const sender = webhook.captureAWSv3Client(sqs());
    // What goes on the wire (fauxqs keeps no system attributes: SQS does, and hands them to Lambda).
    const sent: SendMessageBatchCommandInput[] = [];
    sender.middlewareStack.add((next) => async (args) => (sent.push(args.input as SendMessageBatchCommandInput), next(args)), { step: 'build' });
    process.env._X_AMZN_TRACE_ID = `Root=${TRACE_ID};Parent=${LAMBDA_SEGMENT};Sampled=1`;
    const entries = [
      { Id: '0', MessageBody: '{"n":0}' },
      { Id: '1', MessageBody: '{"n":1}' },
    ];
    await webhook.traceInvocation('index.handler', () => sender.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries })));
    // The caller's entries are left as they were.
    expect(entries[0]).toEqual({ Id: '0', MessageBody: '{"n":0}' });
    const send = (await settle(2)).find((d) => d.name === 'SQS')!;
    const header = `Root=${TRACE_ID};Parent=${send.id};Sampled=1`;
    expect(sent[0]!.Entries!.map((entry) => entry.MessageSystemAttributes)).toEqual([0, 1].map(() => ({ AWSTraceHeader: { DataType: 'String', StringValue: header } })));

    // The worker's invocation is another trace (Lambda's own, for the batch), not sampled here.
    process.env._X_AMZN_TRACE_ID = 'Root=1-6745a1b3-fedcba9876543210fedcba98;Parent=1111111111111111;Sampled=0';
    const { Messages = [] } = await sqs().send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['All'] }));
    expect(Messages).toHaveLength(2);
    const records = Messages.map((message) => toRecord({ ...message, Attributes: { ...message.Attributes, AWSTraceHeader: header } }, aws.resources.queues.courier.arn));
    expect(records[0]!.attributes.AWSTraceHeader).toBe(header);

    const worker = new Tracer('courier-events', daemonEnv());
    received = [];
    await worker.traceInvocation('index.handler', async () => {
      const spans = records.map((record) => worker.startRecord(record, 'process courier.kit.status.v1'));
      // One call for both events: in each one's trace, under its record's span.
      await worker.withinRecords(spans, () => fetch(`${webUrl}/inventory/update/deliveryStatus`, { method: 'POST' }).then((r) => r.text()));
      spans.forEach((span, i) => worker.endRecord(span, { EventId: `event-${i}`, Outcome: 'succeeded' }));
    });
    const documents = await settle(4);
    const recordSpans = documents.filter((d) => d.name === 'process courier.kit.status.v1');
    expect(recordSpans).toHaveLength(2);
    for (const span of recordSpans) {
      expect(span).toMatchObject({ trace_id: TRACE_ID, parent_id: send.id, annotations: { Service: 'courier-events', Outcome: 'succeeded' } });
      expect(documents.filter((d) => d.parent_id === span.id)).toEqual([
        expect.objectContaining({ name: '127.0.0.1', trace_id: TRACE_ID, http: expect.objectContaining({ response: { status: 200 } }) }),
      ]);
    }
    // An unsampled invocation records nothing of its own.
    expect(documents.filter((d) => d.name === '## index.handler')).toEqual([]);
  });
});

describe('OTLP export', () => {
  it("sends the invocation's spans in one signed OTLP/JSON request before it returns, and does not trace the export", async () => {
    const tracer = new Tracer('courier-events', { ...daemonEnv(), OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: otlpUrl, AWS_REGION: 'ap-south-1', AWS_LAMBDA_FUNCTION_NAME: 'dev-courier-events' });
    process.env._X_AMZN_TRACE_ID = `Root=${TRACE_ID};Parent=${LAMBDA_SEGMENT};Sampled=1`;
    await tracer.traceInvocation('index.handler', () => fetch(`${webUrl}/busy`).then((r) => r.text()));
    // Sent before the invocation returned: nothing to wait for.
    expect(exports).toHaveLength(1);
    expect(exports[0]!.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=[^/]+\/\d{8}\/ap-south-1\/xray\/aws4_request/);
    const [resourceSpans] = exports[0]!.body.resourceSpans;
    expect(resourceSpans!.resource).toEqual({
      attributes: expect.arrayContaining([
        { key: 'service.name', value: { stringValue: 'courier-events' } },
        { key: 'faas.name', value: { stringValue: 'dev-courier-events' } },
      ]),
    });
    const spans = resourceSpans!.scopeSpans[0]!.spans;
    expect(spans).toHaveLength(2);
    const handler = spans.find((span) => span.name === '## index.handler')!;
    expect(handler).toMatchObject({ traceId: '6745a1b20123456789abcdef01234567', parentSpanId: LAMBDA_SEGMENT, kind: 2 });
    const call = spans.find((span) => span.parentSpanId === handler.spanId)!;
    expect(call).toMatchObject({ name: '127.0.0.1', kind: 3, status: { code: 2 } });
    expect(call.attributes).toContainEqual({ key: 'http.response.status_code', value: { intValue: '503' } });

    // An invocation X-Ray did not sample exports nothing of its own, but what its records recorded in their sampled traces.
    process.env._X_AMZN_TRACE_ID = `Root=${TRACE_ID};Parent=${LAMBDA_SEGMENT};Sampled=0`;
    await tracer.traceInvocation('index.handler', () => fetch(`${webUrl}/ok`).then((r) => r.text()));
    expect(exports).toHaveLength(1);
    const record = toRecord(
      { MessageId: 'm-1', ReceiptHandle: 'r-1', Body: '{}', Attributes: { AWSTraceHeader: `Root=${TRACE_ID};Parent=aaaaaaaaaaaaaaaa;Sampled=1` } },
      aws.resources.queues.courier.arn,
    );
    await tracer.traceInvocation('index.handler', async () => tracer.endRecord(tracer.startRecord(record, 'process courier.kit.status.v1'), { EventId: 'e-1', Outcome: 'succeeded' }));
    expect(exports).toHaveLength(2);
    expect(exports[1]!.body.resourceSpans[0]!.scopeSpans[0]!.spans).toEqual([
      expect.objectContaining({
        name: 'process courier.kit.status.v1',
        parentSpanId: 'aaaaaaaaaaaaaaaa',
        kind: 5,
        attributes: expect.arrayContaining([{ key: 'app.event_id', value: { stringValue: 'e-1' } }]),
      }),
    ]);
  });
});

describe('the courier worker, traced', () => {
  it('records each event in the trace its message brought, with its DynamoDB calls and the DCMS call it shares', async () => {
    vi.stubEnv('POWERTOOLS_TRACE_ENABLED', 'true');
    vi.stubEnv('AWS_XRAY_DAEMON_ADDRESS', daemonEnv().AWS_XRAY_DAEMON_ADDRESS);
    const harness = await startWorkerHarness('courier');
    try {
      const kits = await issueKits(harness.dcms.url, 2);
      const parents = ['aaaaaaaaaaaaaaa1', 'aaaaaaaaaaaaaaa2'];
      const traces = ['1-6745a1b2-00000000000000000000000a', '1-6745a1b2-00000000000000000000000b'];
      const records = kits.map((kitNo, i) =>
        toRecord(
          {
            MessageId: `m-${i}`,
            ReceiptHandle: `r-${i}`,
            Body: JSON.stringify(kitStatus(kitNo, 'IN_TRANSIT', '2026-11-20T10:00:00Z')),
            Attributes: { AWSTraceHeader: `Root=${traces[i]};Parent=${parents[i]};Sampled=1` },
          },
          harness.aws.resources.queues.courier.arn,
        ),
      );
      // Lambda did not sample this invocation: the events' own traces are recorded all the same.
      process.env._X_AMZN_TRACE_ID = 'Root=1-6745a1b3-fedcba9876543210fedcba98;Parent=1111111111111111;Sampled=0';
      const answer = await createCourierHandler(harness.runtime)({ Records: records }, localLambdaContext('courier-events', 60));
      expect(answer).toEqual({ batchItemFailures: [] });

      // Datagrams: a record's span (ended last, at its settlement) may arrive after its children.
      await vi.waitFor(() => expect(received.filter((d) => d.name === 'process courier.kit.status.v1')).toHaveLength(2), { timeout: 2_000, interval: 20 });
      for (const [i, trace] of traces.entries()) {
        const inTrace = received.filter((d) => d.trace_id === trace);
        const record = inTrace.find((d) => d.name === 'process courier.kit.status.v1')!;
        expect(record).toMatchObject({ parent_id: parents[i], annotations: { Service: 'courier-events', Outcome: 'succeeded' } });
        const children = inTrace.filter((d) => d.parent_id === record.id);
        expect(children.find((d) => d.name === '127.0.0.1')).toMatchObject({ http: { request: { url: `${harness.dcms.url}/inventory/update/deliveryStatus` }, response: { status: 200 } } });
        expect(children.filter((d) => d.name === 'DynamoDB').length).toBeGreaterThan(0);
      }
      expect(received.filter((d) => d.name === '## index.handler' || d.trace_id === '1-6745a1b3-fedcba9876543210fedcba98')).toEqual([]);
      expect(harness.dcms.stats().calls['/inventory/update/deliveryStatus']).toEqual({ '200': 1 });
    } finally {
      await harness.close();
      vi.unstubAllEnvs();
    }
  });
});

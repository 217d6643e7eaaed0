import { createSocket, type Socket } from 'node:dgram';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { LOCAL_AWS } from '../../shared/tooling/local-aws.js';
import { XRayTracer } from '../../shared/observability/xray.js';
import { localAws } from '../support/local-aws.js';

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
  table = (await localAws()).resources.tables.integrationState;
});

afterAll(async () => {
  daemon.close();
  await new Promise((resolve) => web.close(resolve));
});

afterEach(() => {
  delete process.env._X_AMZN_TRACE_ID;
  received = [];
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

describe('XRayTracer', () => {
  it('sends the handler subsegment and, under it, one subsegment per AWS operation and per fetch, flagged as X-Ray expects', async () => {
    const tracer = new XRayTracer('core-banking-events', daemonEnv());
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
    expect(calls.find((d) => d.http?.request?.url.endsWith('/register'))).toMatchObject({ namespace: 'remote', http: { request: { method: 'POST', url: `${webUrl}/register` }, response: { status: 200 } } });
    expect(calls.find((d) => d.http?.request?.url.endsWith('/busy'))).toMatchObject({ fault: true, http: { response: { status: 503 } } });
    const refused = documents.find((d) => d.parent_id === second!.id);
    expect(refused).toMatchObject({ name: '127.0.0.1', fault: true });
  });

  it('sends nothing for an invocation X-Ray did not sample, nor when tracing is turned off', async () => {
    const sampledOut = new XRayTracer('courier-events', daemonEnv());
    const client = sampledOut.captureAWSv3Client(dynamo());
    process.env._X_AMZN_TRACE_ID = `Root=${TRACE_ID};Parent=${LAMBDA_SEGMENT};Sampled=0`;
    await sampledOut.traceInvocation('index.handler', async () => {
      await client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'TRACE#2' }, sk: { S: 'STATE' } } }));
      await fetch(`${webUrl}/ok`).then((r) => r.text());
    });

    const off = new XRayTracer('courier-events', { ...daemonEnv(), POWERTOOLS_TRACE_ENABLED: 'false' });
    const untouched = dynamo();
    const before = untouched.middlewareStack.identify().length;
    expect(off.captureAWSv3Client(untouched).middlewareStack.identify()).toHaveLength(before);
    process.env._X_AMZN_TRACE_ID = `Root=${TRACE_ID};Parent=${LAMBDA_SEGMENT};Sampled=1`;
    await off.traceInvocation('index.handler', async () => undefined);

    // A sampled invocation last: once its document is in, anything the others sent before it would be too.
    await new XRayTracer('courier-events', daemonEnv()).traceInvocation('sentinel.handler', async () => undefined);
    const documents = await settle(1);
    expect(documents.map((d) => d.name)).toEqual(['## sentinel.handler']);
  });
});

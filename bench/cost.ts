/**
 * What a million events cost, counted on the local stack and priced at ap-south-1 list prices.
 *
 * The mix is a card's life as this integration sees it, per customer: `customer.created` and
 * `account.opened` from core banking (FIFO queue, the core-banking worker against the DCMS sandbox
 * answering in 150–300 ms), then two courier scans (IN_TRANSIT, DELIVERED), each one signed POST to
 * the courier webhook, which queues it for the courier worker (DCMS delivery status). Every
 * function runs as deployed (INFO logs as in prod, EMF metrics on, batch sizes and windows of
 * shared/config/resources.ts); its tracer sends to a stand-in daemon that counts what it gets.
 *
 * Counted, per event:
 *   - Lambda invocations and billed milliseconds (each invocation rounded up to 1 ms), at the
 *     deployed memory (infra/constructs/integration-function.ts);
 *   - SQS requests by action, seen by a proxy in front of fauxqs: the webhook's sends, the pollers'
 *     receives and deletes (Lambda's event source makes the same calls, billed to the queue's
 *     owner), the workers' visibility changes and DLQ sends;
 *   - DynamoDB request units as DynamoDB answers them in ConsumedCapacity (a proxy adds
 *     ReturnConsumedCapacity to every call);
 *   - log bytes written to stdout and stderr (Powertools JSON and EMF), plus the lines Lambda adds
 *     per invocation;
 *   - trace documents and their bytes.
 * Modelled, not counted (stated in the output): Lambda's idle long polls on each queue, cold
 * starts, the share of traces sampled.
 *
 *   npm run bench -- cost [--customers 100] [--monthly-events 1000000]
 */
import { createSocket } from 'node:dgram';
import { writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Context } from 'aws-lambda';
import { createCoreBankingHandler } from '../functions/core-banking-events/app.js';
import { createCourierHandler } from '../functions/courier-events/app.js';
import { createCourierWebhookLambda } from '../functions/courier-webhook/app.js';
import { FUNCTION_MEMORY_MB } from '../infra/constructs/integration-function.js';
import { createResources, startEmulators } from '../local/emulators.js';
import { LOCAL_AWS } from '../shared/tooling/local-aws.js';
import { SqsPoller } from '../local/event-source/sqs-poller.js';
import { freePort } from '../local/free-port.js';
import { startApiGatewayServer, type HttpLambdaHandler } from '../local/http/api-gateway-server.js';
import { COURIER_EVENTS_ROUTE, LOCAL_COURIERS, LOCAL_SIGNING_KEY, localCourierWebhookEnv } from '../local/http/courier-webhook.js';
import { localWorkerEnv } from '../local/worker-env.js';
import { courierEventsUrl, signCourierRequest } from '../shared/tooling/courier-signing.js';
import { startDcmsSandbox } from '../sandbox/dcms/server.js';
import { QUEUES } from '../shared/config/resources.js';
import { DcmsClient } from '../shared/dcms/client.js';
import { createDcmsWorkerRuntime } from '../shared/worker/dcms-runtime.js';
import { accountOpened, customerCreated } from './support/events.js';
import { meterDynamo, meterSqs } from './support/metering-proxy.js';
import { PRICES, priceTable, type Usage } from './support/prices.js';

const { values: args } = parseArgs({
  options: {
    customers: { type: 'string', default: '100' },
    'monthly-events': { type: 'string', default: '1000000' },
    /** Writes every captured log line to this file, to see where the bytes go. */
    'dump-logs': { type: 'string' },
  },
});
const CUSTOMERS = Number(args.customers);
const MONTHLY_EVENTS = Number(args['monthly-events']);
const TENANT = 'ACME_BANK';
const COURIER = 'acme-courier';
const MEMORY_GB = FUNCTION_MEMORY_MB / 1_024;
/** Core-banking instances: enough to keep the sandbox busy without queueing behind its rate. */
const CORE_BANKING_INSTANCES = 4;

// ---- Lambda's platform lines, per invocation (text log format, active tracing), as CloudWatch stores them.
const REQUEST_ID = '3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
const PLATFORM_LINES = [
  `START RequestId: ${REQUEST_ID} Version: $LATEST`,
  `END RequestId: ${REQUEST_ID}`,
  `REPORT RequestId: ${REQUEST_ID}\tDuration: 245.17 ms\tBilled Duration: 246 ms\tMemory Size: 512 MB\tMax Memory Used: 112 MB\t`,
  `XRAY TraceId: 1-6745a1b2-0123456789abcdef01234567\tSegmentId: 53995c3f42cd8ad8\tSampled: false\t`,
];

// ---- Environment: as deployed where it matters to cost.
const aws = await (async () => {
  Object.assign(process.env, {
    AWS_REGION: LOCAL_AWS.region,
    AWS_ACCESS_KEY_ID: LOCAL_AWS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_AWS.secretAccessKey,
    // The prod stage's level (cdk.json) and metrics on: EMF lines are log bytes too.
    POWERTOOLS_LOG_LEVEL: 'INFO',
    POWERTOOLS_METRICS_DISABLED: 'false',
    POWERTOOLS_METRICS_NAMESPACE: 'CardIssuance',
    POWERTOOLS_TRACE_ENABLED: 'true',
  });
  return startEmulators({ dynamoPort: await freePort(), sqsPort: await freePort() });
})();
const sqsProxy = await meterSqs(aws.sqsEndpoint);
const dynamoProxy = await meterDynamo(aws.dynamoEndpoint);
process.env.AWS_ENDPOINT_URL_SQS = sqsProxy.url;
process.env.AWS_ENDPOINT_URL_DYNAMODB = dynamoProxy.url;

// A stand-in for the X-Ray daemon: every trace document the functions send, counted.
const daemon = createSocket('udp4');
const traces = { documents: 0, bytes: 0 };
daemon.on('message', (message) => {
  traces.documents += 1;
  traces.bytes += message.length;
});
await new Promise<void>((resolve) => daemon.bind(0, '127.0.0.1', resolve));
process.env.AWS_XRAY_DAEMON_ADDRESS = `127.0.0.1:${daemon.address().port}`;
// Every invocation sampled: the documents per event are then what a sampled event costs.
process.env._X_AMZN_TRACE_ID = 'Root=1-6745a1b2-0123456789abcdef01234567;Parent=53995c3f42cd8ad8;Sampled=1';

const credentials = { accessKeyId: LOCAL_AWS.accessKeyId, secretAccessKey: LOCAL_AWS.secretAccessKey };
const sqs = new SQSClient({ endpoint: sqsProxy.url, region: LOCAL_AWS.region, credentials });
const dynamo = new DynamoDBClient({ endpoint: dynamoProxy.url, region: LOCAL_AWS.region, credentials });
const resources = await createResources(sqs, dynamo, { prefix: 'cost', visibilityTimeoutSeconds: 30 });
const dcms = await startDcmsSandbox({ port: 0, rateLimit: { perSecond: 10_000, burst: 10_000 }, faults: { latencyMs: 150, latencyJitterMs: 150 } });
const tenantsJson = JSON.stringify([{ tenant: TENANT, business: TENANT, businessId: '687', businessType: TENANT, rateLimit: { perSecond: 10_000, burst: 10_000 } }]);

// ---- Lambda: invocations and billed milliseconds per function.
const lambda = new Map<string, { invocations: number; billedMs: number }>();
function metered<E, R>(name: string, handler: (event: E, context: Context) => Promise<R>): (event: E, context: Context) => Promise<R> {
  return async (event, context) => {
    const started = performance.now();
    try {
      return await handler(event, context);
    } finally {
      const entry = lambda.get(name) ?? { invocations: 0, billedMs: 0 };
      entry.invocations += 1;
      entry.billedMs += Math.ceil(performance.now() - started);
      lambda.set(name, entry);
    }
  };
}

// ---- Log bytes: everything the functions write, by kind.
const logs = { app: 0, appLines: 0, emf: 0, emfLines: 0, byMessage: new Map<string, number>() };
const originalWrites = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };
const dumped: string[] = [];
const capture = (chunk: string | Uint8Array): boolean => {
  for (const line of String(chunk).split('\n').filter(Boolean)) {
    if (args['dump-logs']) dumped.push(line);
    const bytes = Buffer.byteLength(line) + 1;
    if (line.includes('"_aws":')) {
      logs.emf += bytes;
      logs.emfLines += 1;
      continue;
    }
    logs.app += bytes;
    logs.appLines += 1;
    const message = /"message":"([^"]*)"/.exec(line)?.[1] ?? line.slice(0, 60);
    logs.byMessage.set(message, (logs.byMessage.get(message) ?? 0) + bytes);
  }
  return true;
};

const outcomes = new Map<string, number>();
let settled = 0;
const observer = (report: { outcome: string }) => {
  outcomes.set(report.outcome, (outcomes.get(report.outcome) ?? 0) + 1);
  if (report.outcome !== 'retried') settled += 1;
};

function worker(queue: 'coreBanking' | 'courier', serviceName: string) {
  const runtime = createDcmsWorkerRuntime(localWorkerEnv({ resources, queue, serviceName, dcmsBaseUrl: dcms.url, tenantsJson }), { observer });
  const handler = queue === 'coreBanking' ? createCoreBankingHandler(runtime) : createCourierHandler(runtime);
  const { url, arn } = resources.queues[queue];
  const description = QUEUES[queue];
  return new SqsPoller({
    sqs,
    queueUrl: url,
    queueArn: arn,
    handler: metered(serviceName, handler),
    functionName: serviceName,
    functionTimeoutSeconds: description.functionTimeoutSeconds,
    batchSize: description.batchSize,
    batchingWindowSeconds: description.batchingWindowSeconds,
    waitTimeSeconds: 1,
  });
}

// The function as Lambda runs it (instrumented: logger context, metrics, handler span), not its bare
// handler; the courier's rate limit lifted, since this bench posts faster than a courier does.
const couriers = LOCAL_COURIERS.map((courier) => ({ ...courier, rateLimit: { perSecond: 1e6, burst: 1e6 } }));
const webhookLambda = createCourierWebhookLambda(localCourierWebhookEnv({ resources, couriers }));
const webhook = await startApiGatewayServer({ port: 0, routes: { [COURIER_EVENTS_ROUTE]: metered('courier-webhook', webhookLambda) as HttpLambdaHandler } });
const pollers = [...Array.from({ length: CORE_BANKING_INSTANCES }, () => worker('coreBanking', 'core-banking-events')), worker('courier', 'courier-events')];

const waitFor = async (done: () => boolean) => {
  while (!done()) await new Promise((resolve) => setTimeout(resolve, 50));
};

// Setup calls (queues, tables) are not the workload.
sqsProxy.reset();
dynamoProxy.reset();
const started = performance.now();
try {
  process.stdout.write = capture as typeof process.stdout.write;
  process.stderr.write = capture as typeof process.stderr.write;
  pollers.forEach((poller) => poller.start());

  // Core banking: each customer's two events in its own message group, sent ten to a request as a core-banking system batches them.
  const bankEvents = Array.from({ length: CUSTOMERS }, (_, i) => [customerCreated(`C${i}`, TENANT), accountOpened(`C${i}`, TENANT)]).flat();
  for (let i = 0; i < bankEvents.length; i += 10) {
    const entries = bankEvents
      .slice(i, i + 10)
      .map((event, j) => ({ Id: String(j), MessageBody: JSON.stringify(event), MessageGroupId: `${TENANT}:${String(event.data.entityId)}`, MessageDeduplicationId: event.id }));
    await sqs.send(new SendMessageBatchCommand({ QueueUrl: resources.queues.coreBanking.url, Entries: entries }));
  }
  await waitFor(() => settled >= bankEvents.length);

  // The courier's scans, one signed POST each, a few in flight at once.
  const reader = new DcmsClient({ baseUrl: dcms.url });
  const kits = await Promise.all(Array.from({ length: CUSTOMERS }, async (_, i) => (await reader.viewCustomer(TENANT, `C${i}`))!.kitInfo[0]!.kitNo));
  const url = courierEventsUrl(webhook.url, COURIER);
  // Two waves, as days apart as a kit's scans are: a kit's second scan never shares a batch with its first.
  let posted = 0;
  for (const [wave, status] of ['IN_TRANSIT', 'DELIVERED'].entries()) {
    const scans = kits.map((kitNo, i) => ({ kitNo, status, occurredAt: new Date(Date.UTC(2026, 10, 20 + wave, 10)).toISOString(), awb: `AWB${i}`, location: 'MUMBAI' }));
    for (let i = 0; i < scans.length; i += 8) {
      await Promise.all(
        scans.slice(i, i + 8).map(async (scan) => {
          const body = Buffer.from(JSON.stringify(scan));
          const response = await fetch(url, { method: 'POST', headers: signCourierRequest({ secrets: [LOCAL_SIGNING_KEY], body }), body });
          if (response.status !== 202 && response.status !== 200) throw new Error(`webhook answered ${response.status}: ${await response.text()}`);
        }),
      );
    }
    posted += scans.length;
    await waitFor(() => settled >= bankEvents.length + posted);
  }
  await Promise.all(pollers.map((poller) => poller.stop()));
} finally {
  process.stdout.write = originalWrites.out as typeof process.stdout.write;
  process.stderr.write = originalWrites.err as typeof process.stderr.write;
}

const seconds = (performance.now() - started) / 1_000;
if (args['dump-logs']) writeFileSync(args['dump-logs'], `${dumped.join('\n')}\n`);
const events = CUSTOMERS * 4;
const invocations = [...lambda.values()].reduce((sum, f) => sum + f.invocations, 0);
const platformBytes = invocations * PLATFORM_LINES.reduce((sum, line) => sum + Buffer.byteLength(line) + 1, 0);
const sqsRequests = [...sqsProxy.meter.requests.values()].reduce((a, b) => a + b, 0);
// The local pollers wait 1 s per receive; Lambda's wait 20 s. Empty receives are modelled below, not taken from this run.
const activeReceives = (sqsProxy.meter.requests.get('ReceiveMessage') ?? 0) - sqsProxy.meter.emptyReceives;
const usage: Usage = {
  events,
  monthlyEvents: MONTHLY_EVENTS,
  lambdaRequests: invocations,
  lambdaGbSeconds: ([...lambda.values()].reduce((sum, f) => sum + f.billedMs, 0) / 1_000) * MEMORY_GB,
  memoryGb: MEMORY_GB,
  sqsRequests: sqsRequests - sqsProxy.meter.emptyReceives,
  sqsFifoRequests: sqsProxy.meter.fifoRequests - sqsProxy.meter.emptyFifoReceives,
  dynamoReadUnits: dynamoProxy.meter.readUnits,
  dynamoWriteUnits: dynamoProxy.meter.writeUnits,
  logBytes: logs.app + logs.emf + platformBytes,
  webhookRequests: lambda.get('courier-webhook')?.invocations ?? 0,
  traceDocuments: traces.documents,
  traceBytes: traces.bytes,
};

const perEvent = (n: number, digits = 2) => (n / events).toFixed(digits);
console.log(`cost per event, local stack (${availableParallelism()} cores, load ${loadavg()[0]!.toFixed(2)}), Node ${process.version}`);
console.log(
  `mix: ${CUSTOMERS} customers × (customer.created, account.opened, 2 courier scans) = ${events} events in ${seconds.toFixed(1)} s; outcomes ${[...outcomes].map(([o, n]) => `${o} ${n}`).join(', ')}; second cards ${dcms.stats().duplicateCards}\n`,
);
for (const [name, f] of lambda)
  console.log(`  Lambda ${name.padEnd(20)} ${f.invocations} invocations (${(f.invocations / events).toFixed(3)}/event), ${(f.billedMs / f.invocations).toFixed(0)} ms billed each`);
console.log(
  `  SQS    ${[...sqsProxy.meter.requests].map(([action, n]) => `${action} ${perEvent(n)}`).join(', ')} per event; of the receives ${perEvent(activeReceives)} brought messages (local polls wait 1 s: empty ones are modelled, not counted)`,
);
console.log(
  `  DynamoDB ${[...dynamoProxy.meter.requests].map(([action, n]) => `${action} ${perEvent(n)}`).join(', ')} per event; ${perEvent(dynamoProxy.meter.readUnits)} RRU, ${perEvent(dynamoProxy.meter.writeUnits)} WRU per event (${[
    ...dynamoProxy.meter.writeUnitsByTable,
  ]
    .sort((a, b) => b[1] - a[1])
    .map(([table, n]) => `${table.replace(/^cost-/, '')} ${perEvent(n)}`)
    .join(', ')})`,
);
console.log(
  `  logs   ${perEvent(logs.app, 0)} B application (${perEvent(logs.appLines)} lines), ${perEvent(logs.emf, 0)} B EMF (${perEvent(logs.emfLines)} lines), ${perEvent(platformBytes, 0)} B Lambda platform lines: ${perEvent(usage.logBytes, 0)} B per event (goal for application logs ≤ 300)`,
);
for (const [message, bytes] of [...logs.byMessage].sort((a, b) => b[1] - a[1]).slice(0, 6)) console.log(`           ${perEvent(bytes, 0).padStart(5)} B  ${message}`);
console.log(`  traces ${perEvent(traces.documents)} documents, ${perEvent(traces.bytes, 0)} B per sampled event\n`);
console.log(priceTable(usage));
console.log(`\nprices: ap-south-1 list prices as of ${PRICES.asOf}, on-demand, no free tier (bench/support/prices.ts)`);

await webhook.close();
await dcms.close();
daemon.close();
sqs.destroy();
dynamo.destroy();
await sqsProxy.close();
await dynamoProxy.close();
await aws.stop();

/**
 * Courier webhook throughput on the local stack: signed single-event POSTs over loopback HTTP
 * through the local API Gateway. A benchmark, not a test. Two runs:
 *   - emulated: the full handler (signature, mapping, DynamoDB replay claim and completion,
 *     SendMessageBatch) against DynamoDB Local and fauxqs — what the local endpoint sustains;
 *   - stubbed: the same handler and HTTP path with in-memory replay records and a no-op SQS —
 *     the cost of our own code, so the first figure can be read as emulator time or ours.
 *
 *   npx tsx bench/webhook.ts [seconds=5] [concurrency=16]
 */
import { availableParallelism, loadavg } from 'node:os';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { createCourierWebhookHandler } from '../functions/courier-webhook/webhook.js';
import type { ReplayClaim, ReplayGuard, ReplayState } from '../functions/courier-webhook/replay.js';
import { createCourierWebhookRuntime } from '../functions/courier-webhook/runtime.js';
import { createResources, startEmulators } from '../local/emulators.js';
import { LOCAL_AWS } from '../shared/tooling/local-aws.js';
import { startApiGatewayServer } from '../local/http/api-gateway-server.js';
import { COURIER_EVENTS_ROUTE, LOCAL_COURIERS, LOCAL_SIGNING_KEY, localCourierWebhookEnv } from '../local/http/courier-webhook.js';
import { courierEventsUrl, signCourierRequest } from '../shared/tooling/courier-signing.js';
import { freePort } from '../local/free-port.js';

const seconds = Number(process.argv[2] ?? 5);
const concurrency = Number(process.argv[3] ?? 16);
/** DynamoDB Local is a JVM: its first seconds under load run at a fraction of its warm speed. */
const WARM_UP_SECONDS = 2;

Object.assign(process.env, {
  AWS_REGION: LOCAL_AWS.region,
  AWS_ACCESS_KEY_ID: LOCAL_AWS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: LOCAL_AWS.secretAccessKey,
  POWERTOOLS_METRICS_DISABLED: 'true',
  // One INFO line per request would measure the terminal, not the endpoint.
  POWERTOOLS_LOG_LEVEL: 'WARN',
});

interface RunResult {
  requests: number;
  elapsedSeconds: number;
  statuses: Map<number, number>;
  latencies: number[];
}

/** `concurrency` clients posting signed single events, each for a different kit (no replays), for `duration` seconds. */
async function load(url: string, duration: number): Promise<RunResult> {
  let sequence = 0;
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  const started = performance.now();
  const until = started + duration * 1_000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        const n = sequence++;
        const body = Buffer.from(JSON.stringify({ kitNo: `B${Date.now()}${n}`, status: 'IN_TRANSIT', occurredAt: new Date().toISOString(), awb: `AWB${n}`, location: 'MUMBAI' }));
        const sent = performance.now();
        const response = await fetch(url, { method: 'POST', headers: signCourierRequest({ secrets: [LOCAL_SIGNING_KEY], body }), body });
        await response.arrayBuffer();
        latencies.push(performance.now() - sent);
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      }
    }),
  );
  return { requests: latencies.length, elapsedSeconds: (performance.now() - started) / 1_000, statuses, latencies: latencies.sort((a, b) => a - b) };
}

const percentile = (sorted: number[], p: number) => (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN).toFixed(1);

function report(label: string, result: RunResult): void {
  const { requests, elapsedSeconds, statuses, latencies } = result;
  console.log(
    `  ${label.padEnd(9)} ${(requests / elapsedSeconds).toFixed(0).padStart(5)} req/s  (${requests} in ${elapsedSeconds.toFixed(2)} s; ${[...statuses].map(([s, c]) => `${s}×${c}`).join(' ')})`,
  );
  console.log(`  ${''.padEnd(9)} latency ms  p50 ${percentile(latencies, 50)}  p95 ${percentile(latencies, 95)}  p99 ${percentile(latencies, 99)}  max ${latencies.at(-1)?.toFixed(1)}`);
}

/** Replay records in memory, with the DynamoDB guard's semantics for a stream of new requests. */
class MemoryReplayGuard implements ReplayGuard {
  private readonly records = new Map<string, string[] | undefined>();
  async peek(key: string): Promise<ReplayState> {
    if (!this.records.has(key)) return { kind: 'new' };
    const eventIds = this.records.get(key);
    return eventIds ? { kind: 'completed', eventIds } : { kind: 'inProgress' };
  }
  async claim(key: string): Promise<ReplayClaim> {
    if (!this.records.has(key)) {
      this.records.set(key, undefined);
      return { kind: 'claimed' };
    }
    const eventIds = this.records.get(key);
    return eventIds ? { kind: 'completed', eventIds } : { kind: 'inProgress' };
  }
  async complete(key: string, eventIds: readonly string[]): Promise<void> {
    this.records.set(key, [...eventIds]);
  }
  async release(key: string): Promise<void> {
    this.records.delete(key);
  }
}

const emulators = await startEmulators({ dynamoPort: await freePort(), sqsPort: await freePort() });
process.env.AWS_ENDPOINT_URL_SQS = emulators.sqsEndpoint;
process.env.AWS_ENDPOINT_URL_DYNAMODB = emulators.dynamoEndpoint;
const sqs = new SQSClient({ endpoint: emulators.sqsEndpoint });
try {
  const resources = await createResources(sqs, new DynamoDBClient({}), { prefix: `bench${Date.now().toString(36)}` });
  // The per-courier limit is lifted: the point is what the endpoint itself sustains.
  const couriers = LOCAL_COURIERS.map((courier) => ({ ...courier, rateLimit: { perSecond: 1e6, burst: 1e6 } }));
  const runtime = createCourierWebhookRuntime(localCourierWebhookEnv({ resources, couriers }));
  const stubbed = createCourierWebhookHandler({
    ...runtime,
    replay: new MemoryReplayGuard(),
    enqueue: { ...runtime.enqueue, sendBatch: async (input) => ({ Successful: input.Entries?.map((e) => ({ Id: e.Id!, MessageId: e.Id!, MD5OfMessageBody: '' })), Failed: [], $metadata: {} }) },
  });
  const server = await startApiGatewayServer({
    port: 0,
    routes: { [COURIER_EVENTS_ROUTE]: createCourierWebhookHandler(runtime), 'POST /stubbed/{courier}/events': stubbed },
  });
  const emulatedUrl = courierEventsUrl(server.url, 'acme-courier');
  const stubbedUrl = `${server.url}/stubbed/acme-courier/events`;

  console.log(`courier webhook, local: signed single-event POSTs, concurrency ${concurrency}, ${seconds} s per run, Node ${process.version}`);
  // Client, server, handler and fauxqs share one Node process; DynamoDB Local is a JVM beside it.
  console.log(`  machine   ${availableParallelism()} CPUs, load average ${loadavg()[0]!.toFixed(1)} at start`);
  await load(emulatedUrl, WARM_UP_SECONDS);
  report('emulated', await load(emulatedUrl, seconds));
  await load(stubbedUrl, 1);
  report('stubbed', await load(stubbedUrl, seconds));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: resources.queues.courier.url, AttributeNames: ['ApproximateNumberOfMessages'] }));
  console.log(`  queue now holds ${Attributes?.ApproximateNumberOfMessages} events (warm-up and emulated runs)`);
  await server.close();
} finally {
  sqs.destroy();
  await emulators.stop();
}

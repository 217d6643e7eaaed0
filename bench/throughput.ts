/**
 * Bulk onboarding against a realistic DCMS, with a second tenant's real-time events flowing:
 * DynamoDB Local, fauxqs, the DCMS sandbox over HTTP answering in 150–300 ms and limiting every
 * tenant to its tier (429 beyond), the core-banking worker as several Lambda instances per lane.
 *
 *   - tenant A (the migrating bank): `--events` customer.created + account.opened events, all in
 *     the bulk queue, read by `--bulk` instances with DCMS_LANE=bulk;
 *   - tenant B: a steady trickle (`--trickle` events/s) in the real-time queue, read by
 *     `--realtime` instances with DCMS_LANE=realtime, for as long as A's import runs.
 *
 * Reports, per run: A's sustained DCMS requests/s (the middle 80% of its calls) ÷ its limit (goal ≥ 0.9), the share of DCMS
 * calls answered 429 (goal < 1%), and p95 end-to-end latency of B's events (goal < 5 s). The second
 * run puts both tenants on a 50 req/s tier (a smaller bank), which must stay under its limit too.
 *
 *   npm run bench -- throughput [--events 2000] [--bulk 4] [--realtime 2] [--trickle 2] [--bulk-share 0.8] [--skip-slow]
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { createCoreBankingHandler } from '../functions/core-banking-events/app.js';
import { LOCAL_AWS, createResources, startEmulators, type LocalResources } from '../local/emulators.js';
import { SqsPoller } from '../local/event-source/sqs-poller.js';
import { localWorkerEnv } from '../local/worker-env.js';
import { startDcmsSandbox } from '../sandbox/dcms/server.js';
import { QUEUES } from '../shared/config/resources.js';
import type { RateLimit } from '../shared/resilience/rate-limiter.js';
import { createDcmsWorkerRuntime } from '../shared/worker/dcms-runtime.js';
import { accountOpened, customerCreated } from '../test/support/events.js';
import { freePort } from '../local/free-port.js';

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '2000' },
    bulk: { type: 'string', default: '4' },
    realtime: { type: 'string', default: '2' },
    trickle: { type: 'string', default: '2' },
    /** DCMS_BULK_SHARE of the bulk instances; unset: the workers' default. */
    'bulk-share': { type: 'string' },
    'skip-slow': { type: 'boolean', default: false },
  },
});
const EVENTS = Number(args.events);
const BULK_INSTANCES = Number(args.bulk);
const REALTIME_INSTANCES = Number(args.realtime);
const TRICKLE_PER_SECOND = Number(args.trickle);
const BULK_SHARE = args['bulk-share'];
const TENANT_A = 'ACME_BANK';
const TENANT_B = 'GLOBEX_BANK';
const LATENCY = { latencyMs: 150, latencyJitterMs: 150 };

Object.assign(process.env, { AWS_REGION: LOCAL_AWS.region, AWS_ACCESS_KEY_ID: LOCAL_AWS.accessKeyId, AWS_SECRET_ACCESS_KEY: LOCAL_AWS.secretAccessKey, POWERTOOLS_LOG_LEVEL: 'ERROR', POWERTOOLS_METRICS_DISABLED: 'true', POWERTOOLS_TRACE_ENABLED: 'false' });

const emulators = await startEmulators({ dynamoPort: await freePort(), sqsPort: await freePort() });
process.env.AWS_ENDPOINT_URL_SQS = emulators.sqsEndpoint;
process.env.AWS_ENDPOINT_URL_DYNAMODB = emulators.dynamoEndpoint;
const credentials = { accessKeyId: LOCAL_AWS.accessKeyId, secretAccessKey: LOCAL_AWS.secretAccessKey };
const sqs = new SQSClient({ endpoint: emulators.sqsEndpoint, region: LOCAL_AWS.region, credentials });
const dynamo = new DynamoDBClient({ endpoint: emulators.dynamoEndpoint, region: LOCAL_AWS.region, credentials });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (values: readonly number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))] ?? 0;
const groupOf = (event: { tenant: string; data: Record<string, unknown> }) => `${event.tenant}:${String(event.data.entityId)}`;
type BankEvent = ReturnType<typeof customerCreated> | ReturnType<typeof accountOpened>;

/** A customer and its account, in that order, per entity: the book a bank loads. */
function book(tenant: string, prefix: string, events: number): BankEvent[] {
  return Array.from({ length: Math.ceil(events / 2) }, (_, i) => [customerCreated(`${prefix}${i}`, {}, tenant), accountOpened(`${prefix}${i}`, '8642135', 'PHYSICAL', tenant)]).flat().slice(0, events);
}

async function enqueue(queueUrl: string, events: readonly BankEvent[]): Promise<void> {
  for (let i = 0; i < events.length; i += 10) {
    const entries = events.slice(i, i + 10).map((event, j) => ({ Id: String(j), MessageBody: JSON.stringify(event), MessageGroupId: groupOf(event), MessageDeduplicationId: event.id }));
    await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
  }
}

interface RunResult {
  run: string;
  'A events': number;
  seconds: number;
  'A DCMS req/s': string;
  'A avg req/s': string;
  'A limit': number;
  'A ÷ limit': string;
  'A 429 share': string;
  'B events': number;
  'B p50 s': string;
  'B p95 s': string;
  'B p95 ÷ 5 s': string;
  'DCMS ms p50': number;
  'DCMS ms p95': number;
  'worker CPU %': number;
  'dead-lettered': number;
  'duplicate cards': number;
}

async function run(label: string, prefix: string, limit: RateLimit, events: number): Promise<RunResult> {
  const resources: LocalResources = await createResources(sqs, dynamo, { prefix, visibilityTimeoutSeconds: 30 });
  const dcms = await startDcmsSandbox({ port: 0, rateLimit: limit, faults: LATENCY });
  const tenantsJson = JSON.stringify([TENANT_A, TENANT_B].map((tenant) => ({ tenant, business: tenant, businessId: '687', businessType: tenant, rateLimit: limit })));

  /** DCMS calls as the workers saw them: when answered, by whom, with what. */
  const calls: Array<{ tenant: string; at: number; outcome: string; durationMs: number }> = [];
  const bulkDone = { count: 0 };
  const deadLettered = { count: 0 };
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];

  const pollers = (queue: 'coreBanking' | 'coreBankingBulk', lane: 'realtime' | 'bulk', instances: number) =>
    Array.from({ length: instances }, () => {
      const env = {
        ...localWorkerEnv({ resources, queue, serviceName: 'core-banking-events', dcmsBaseUrl: dcms.url, tenantsJson, fast: true }),
        DCMS_LANE: lane,
        ...(BULK_SHARE !== undefined && { DCMS_BULK_SHARE: BULK_SHARE }),
      };
      const runtime = createDcmsWorkerRuntime(env, {
        onDcmsCall: (call) => calls.push({ tenant: call.tenant, at: performance.now(), outcome: call.outcome, durationMs: call.durationMs }),
        observer: (report) => {
          // `retried` is not final: the record comes back.
          if (report.outcome === 'retried') return;
          if (report.outcome === 'deadLettered') deadLettered.count += 1;
          if (lane === 'bulk') bulkDone.count += 1;
          const sent = report.eventId === undefined ? undefined : sentAt.get(report.eventId);
          if (sent !== undefined) latencies.push(performance.now() - sent);
        },
      });
      const { url, arn } = resources.queues[queue];
      return new SqsPoller({ sqs, queueUrl: url, queueArn: arn, handler: createCoreBankingHandler(runtime), functionName: 'core-banking-events', functionTimeoutSeconds: QUEUES[queue].functionTimeoutSeconds, batchSize: QUEUES[queue].batchSize, batchingWindowSeconds: 0, waitTimeSeconds: 1 });
    });

  await enqueue(resources.queues.coreBankingBulk.url, book(TENANT_A, 'A', events));
  const workers = [...pollers('coreBankingBulk', 'bulk', BULK_INSTANCES), ...pollers('coreBanking', 'realtime', REALTIME_INSTANCES)];
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  workers.forEach((worker) => worker.start());

  // B's trickle, one event at a time as a core-banking system emits them, until A's book is in.
  let trickled = 0;
  while (bulkDone.count < events) {
    const event = trickled % 2 === 0 ? customerCreated(`B${trickled / 2}`, {}, TENANT_B) : accountOpened(`B${(trickled - 1) / 2}`, '8642135', 'PHYSICAL', TENANT_B);
    sentAt.set(event.id, performance.now());
    await enqueue(resources.queues.coreBanking.url, [event]);
    trickled += 1;
    await sleep(1_000 / TRICKLE_PER_SECOND);
  }
  const finished = performance.now();
  const cpu = process.cpuUsage(cpuBefore);
  while (latencies.length < trickled && performance.now() - finished < 30_000) await sleep(50);
  await Promise.all(workers.map((worker) => worker.stop()));
  const duplicateCards = dcms.stats().duplicateCards;
  await dcms.close();

  const answeredA = calls.filter((call) => call.tenant === TENANT_A && !call.outcome.startsWith('429')).map((call) => call.at).sort((a, b) => a - b);
  // Sustained: the middle 80% of the import's calls, leaving out the burst at the start and the last groups' tail.
  const from = percentile(answeredA, 10);
  const to = percentile(answeredA, 90);
  const sustained = answeredA.filter((at) => at >= from && at <= to).length / ((to - from) / 1_000);
  const average = answeredA.length / ((finished - started) / 1_000);
  const throttled = calls.filter((call) => call.outcome.startsWith('429')).length;
  const p95 = percentile(latencies, 95) / 1_000;
  return {
    run: label,
    'A events': events,
    seconds: Math.round((finished - started) / 100) / 10,
    'A DCMS req/s': sustained.toFixed(1),
    'A avg req/s': average.toFixed(1),
    'A limit': limit.perSecond,
    'A ÷ limit': (sustained / limit.perSecond).toFixed(3),
    'A 429 share': `${((100 * throttled) / Math.max(1, calls.length)).toFixed(2)}% (${throttled}/${calls.length})`,
    'B events': latencies.length,
    'B p50 s': (percentile(latencies, 50) / 1_000).toFixed(2),
    'B p95 s': p95.toFixed(2),
    'B p95 ÷ 5 s': (p95 / 5).toFixed(2),
    // As the workers timed them: well above the sandbox's 150–300 ms means the event loop, not DCMS, is the wait.
    'DCMS ms p50': Math.round(percentile(calls.map((call) => call.durationMs), 50)),
    'DCMS ms p95': Math.round(percentile(calls.map((call) => call.durationMs), 95)),
    // The workers' process, in % of one core (the emulators run in other processes on the same cores).
    'worker CPU %': Math.round((100 * (cpu.user + cpu.system)) / 1_000 / (finished - started)),
    'dead-lettered': deadLettered.count,
    'duplicate cards': duplicateCards,
  };
}

try {
  console.log(
    `throughput: ${cpus()[0]?.model ?? 'unknown CPU'} (${availableParallelism()} cores, load ${loadavg()[0]!.toFixed(2)}), Node ${process.version}; ` +
      `DCMS ${LATENCY.latencyMs}–${LATENCY.latencyMs + LATENCY.latencyJitterMs} ms; ${BULK_INSTANCES} bulk + ${REALTIME_INSTANCES} real-time instances; B trickle ${TRICKLE_PER_SECOND}/s; bulk share ${BULK_SHARE ?? 'default'}\n`,
  );
  const results = [await run('100 req/s tier', 'tp100', { perSecond: 100, burst: 200 }, EVENTS)];
  if (!args['skip-slow']) results.push(await run('50 req/s tier', 'tp50', { perSecond: 50, burst: 100 }, Math.ceil(EVENTS / 2)));
  console.table(results);
  console.log('goals: A ÷ limit ≥ 0.9, 429 share < 1%, B p95 < 5 s (B p95 ÷ 5 s < 1), nothing dead-lettered, no duplicate card');
} finally {
  sqs.destroy();
  dynamo.destroy();
  await emulators.stop();
}

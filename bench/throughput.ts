/**
 * Bulk onboarding against a realistic DCMS, with a second tenant's real-time events flowing:
 * DynamoDB Local, fauxqs, the DCMS sandbox over HTTP answering in 150–300 ms and limiting every
 * tenant to its tier (429 beyond), the core-banking worker as several Lambda instances per lane.
 *
 *   - tenant A (the migrating bank): `--events` customer.created + account.opened events, all in
 *     the bulk queue, read by `--bulk` instances with DCMS_LANE=bulk (default: the deployed
 *     maxConcurrency for A's tier at the sandbox's mean latency, infra/config/dcms-concurrency.ts);
 *   - tenant B: a steady trickle (`--trickle` events/s) in the real-time queue, read by
 *     `--realtime` instances with DCMS_LANE=realtime, for as long as A's import runs.
 *
 * Reports, per run: A's sustained DCMS requests/s (the middle 80% of its calls) ÷ its limit (goal
 * ≥ 0.9); A's effects per second ÷ its limit (goal ≥ 0.9) and A's DCMS calls per effect (goal
 * ≤ 1.05), the effects counted in the sandbox (local/stack/report/dcms-effects.ts); the share of
 * DCMS calls answered 429 (goal < 1%), p95 end-to-end latency of B's events (goal < 5 s), and the
 * DCMS calls each bulk instance kept in flight (what DCMS_DUTY_CYCLE is measured from). The second
 * run puts both tenants on a 50 req/s tier, which must stay under its limit too.
 *
 *   npm run bench -- throughput [--events 2000] [--bulk N] [--realtime 2] [--trickle 2] [--bulk-share 0.8] [--skip-slow] [--verify-first-issue]
 */
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { DCMS_LOAD, dcmsMaxConcurrency } from '../infra/config/dcms-concurrency.js';
import { callsPerEffect, formatCallsPerEffect } from '../local/stack/report/calls-per-effect.js';
import { sandboxEffects, totalEffects, type DcmsEffects } from '../local/stack/report/dcms-effects.js';
import type { RateLimit } from '../shared/resilience/rate-limiter.js';
import { accountOpened, customerCreated, type BankEvent } from './support/events.js';
import { startBenchAws } from './support/local-aws.js';
import { startLanes, type LaneRun, type Lanes } from './support/lanes.js';

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '2000' },
    bulk: { type: 'string' },
    realtime: { type: 'string', default: '2' },
    trickle: { type: 'string', default: '2' },
    /** DCMS_BULK_SHARE of the bulk instances; unset: the workers' default. */
    'bulk-share': { type: 'string' },
    'skip-slow': { type: 'boolean', default: false },
    /** Tenant A reads DCMS before every first card, as a tenant whose branches also issue cards does. */
    'verify-first-issue': { type: 'boolean', default: false },
  },
});
const EVENTS = Number(args.events);
const TRICKLE_PER_SECOND = Number(args.trickle);
const TENANT_A = 'ACME_BANK';
const TENANT_B = 'GLOBEX_BANK';
const LATENCY = { latencyMs: 150, latencyJitterMs: 150 };
/** The sandbox's mean latency: what the deployed sizing would take as typical. */
const MEAN_LATENCY_MS = LATENCY.latencyMs + LATENCY.latencyJitterMs / 2;

const aws = await startBenchAws();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (values: readonly number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))] ?? 0;
const groupOf = (event: BankEvent) => `${event.tenant}:${String(event.data.entityId)}`;

/** A customer and its account, in that order, per entity: the book a bank loads. */
function book(tenant: string, prefix: string, events: number): BankEvent[] {
  return Array.from({ length: Math.ceil(events / 2) }, (_, i) => [customerCreated(`${prefix}${i}`, tenant), accountOpened(`${prefix}${i}`, tenant)])
    .flat()
    .slice(0, events);
}

async function enqueue(queueUrl: string, events: readonly BankEvent[]): Promise<void> {
  for (let i = 0; i < events.length; i += 10) {
    const entries = events.slice(i, i + 10).map((event, j) => ({ Id: String(j), MessageBody: JSON.stringify(event), MessageGroupId: groupOf(event), MessageDeduplicationId: event.id }));
    await aws.sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
  }
}

/** B's trickle, one event at a time as a core-banking system emits them, until A's book is in. */
async function trickleUntilLoaded(lanes: Lanes, run: LaneRun, events: number): Promise<number> {
  let trickled = 0;
  while (run.bulkDone < events) {
    const entity = `B${Math.floor(trickled / 2)}`;
    const event = trickled % 2 === 0 ? customerCreated(entity, TENANT_B) : accountOpened(entity, TENANT_B);
    run.sentAt.set(event.id, performance.now());
    await enqueue(lanes.realtimeQueueUrl, [event]);
    trickled += 1;
    await sleep(1_000 / TRICKLE_PER_SECOND);
  }
  return trickled;
}

async function run(label: string, prefix: string, limit: RateLimit, events: number) {
  const bulkInstances = Number(args.bulk ?? dcmsMaxConcurrency([{ rateLimit: limit }], DCMS_LOAD.coreBankingBulk, MEAN_LATENCY_MS));
  // A migrating bank loads a book only this integration issues cards for, unless --verify-first-issue.
  const tenants = [TENANT_A, TENANT_B].map((tenant) => ({ tenant, business: tenant, businessId: '687', businessType: tenant, rateLimit: limit, verifyBeforeFirstIssue: args['verify-first-issue'] }));
  const lanes = await startLanes(aws, { prefix, limit, faults: LATENCY, tenants, bulkInstances, realtimeInstances: Number(args.realtime), bulkShare: args['bulk-share'] });
  await enqueue(lanes.bulkQueueUrl, book(TENANT_A, 'A', events));
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  lanes.start();
  const trickled = await trickleUntilLoaded(lanes, lanes.run, events);
  const seconds = (performance.now() - started) / 1_000;
  const cpu = process.cpuUsage(cpuBefore);
  while (lanes.run.latencies.length < trickled && performance.now() - started < seconds * 1_000 + 30_000) await sleep(50);
  const dcms = await lanes.stop();
  const facts = { limit, events, seconds, bulkInstances, duplicateCards: dcms.duplicateCards, effectsA: sandboxEffects(dcms.holdings, TENANT_A), workerCpuMs: (cpu.user + cpu.system) / 1_000 };
  return summarise(label, facts, lanes.run);
}

interface RunFacts {
  limit: RateLimit;
  events: number;
  seconds: number;
  bulkInstances: number;
  duplicateCards: number;
  /** What DCMS holds for A once its book is in, from the sandbox's own state. */
  effectsA: DcmsEffects;
  workerCpuMs: number;
}

function summarise(label: string, facts: RunFacts, run: LaneRun) {
  const { calls, latencies } = run;
  const answeredA = calls
    .filter((call) => call.tenant === TENANT_A && !call.outcome.startsWith('429'))
    .map((call) => call.at)
    .sort((a, b) => a - b);
  // Sustained: the middle 80% of the import's calls, leaving out the burst at the start and the last groups' tail.
  const from = percentile(answeredA, 10);
  const to = percentile(answeredA, 90);
  const sustained = answeredA.filter((at) => at >= from && at <= to).length / ((to - from) / 1_000);
  const throttled = calls.filter((call) => call.outcome.startsWith('429')).length;
  // Every request A's workers sent, reads, retries and 429s included: what its DCMS budget paid for.
  const callsA = calls.filter((call) => call.tenant === TENANT_A).length;
  // Over the whole load, not its middle: the effects are counted once at the end, not timed.
  const effectsPerSecondA = totalEffects(facts.effectsA) / facts.seconds;
  const p95 = percentile(latencies, 95) / 1_000;
  const inFlight = (sustained * MEAN_LATENCY_MS) / 1_000 / facts.bulkInstances;
  return {
    run: label,
    'A events': facts.events,
    'bulk instances': facts.bulkInstances,
    seconds: Math.round(facts.seconds * 10) / 10,
    'A DCMS req/s': sustained.toFixed(1),
    'A avg req/s': (answeredA.length / facts.seconds).toFixed(1),
    'A limit': facts.limit.perSecond,
    'A ÷ limit': (sustained / facts.limit.perSecond).toFixed(3),
    'A effects': totalEffects(facts.effectsA),
    'A effects/s ÷ limit': (effectsPerSecondA / facts.limit.perSecond).toFixed(3),
    'A calls / effect': formatCallsPerEffect(callsPerEffect(callsA, facts.effectsA)),
    'A 429 share': `${((100 * throttled) / Math.max(1, calls.length)).toFixed(2)}% (${throttled}/${calls.length})`,
    'B events': latencies.length,
    'B p50 s': (percentile(latencies, 50) / 1_000).toFixed(2),
    'B p95 s': p95.toFixed(2),
    'B p95 ÷ 5 s': (p95 / 5).toFixed(2),
    // At the sandbox's mean latency; a run limited by the budget (not by instances) says less than DCMS_DUTY_CYCLE needs.
    'calls in flight / bulk instance': inFlight.toFixed(2),
    // As the workers timed them: well above the sandbox's 150–300 ms means the event loop, not DCMS, is the wait.
    'DCMS ms p50': Math.round(
      percentile(
        calls.map((call) => call.durationMs),
        50,
      ),
    ),
    'DCMS ms p95': Math.round(
      percentile(
        calls.map((call) => call.durationMs),
        95,
      ),
    ),
    // The workers' process, in % of one core (the emulators run in other processes on the same cores).
    'worker CPU %': Math.round((100 * facts.workerCpuMs) / 1_000 / facts.seconds),
    'dead-lettered': run.deadLettered,
    'duplicate cards': facts.duplicateCards,
  };
}

try {
  console.log(
    `throughput: ${cpus()[0]?.model ?? 'unknown CPU'} (${availableParallelism()} cores, load ${loadavg()[0]!.toFixed(2)}), Node ${process.version}; ` +
      `DCMS ${LATENCY.latencyMs}–${LATENCY.latencyMs + LATENCY.latencyJitterMs} ms; ${args.bulk ?? 'deployed sizing of'} bulk + ${args.realtime} real-time instances; B trickle ${TRICKLE_PER_SECOND}/s; bulk share ${args['bulk-share'] ?? 'default'}\n`,
  );
  const results = [await run('100 req/s tier', 'tp100', { perSecond: 100, burst: 200 }, EVENTS)];
  if (!args['skip-slow']) results.push(await run('50 req/s tier', 'tp50', { perSecond: 50, burst: 100 }, Math.ceil(EVENTS / 2)));
  console.table(results);
  console.log('goals: A ÷ limit ≥ 0.9, A effects/s ÷ limit ≥ 0.9, A calls / effect ≤ 1.05, 429 share < 1%, B p95 < 5 s (B p95 ÷ 5 s < 1), nothing dead-lettered, no duplicate card');
} finally {
  await aws.stop();
}

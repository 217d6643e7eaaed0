/**
 * The fleet-wide DCMS budget (shared/resilience/fleet-rate-limiter.ts) against DynamoDB Local, no
 * sandbox: 2–4 simulated Lambda instances, each with its own DynamoDB client and limiter and more
 * workers than its share of the budget (every worker takes a token, then spends 150–300 ms on a
 * "DCMS call"), so the budget is the bottleneck. Reports, per fleet size:
 *   - sustained tokens/s ÷ the tenant's limit (after the first two seconds, which the burst inflates),
 *   - the worst excess over `rate × t + burst` across every window (≤ 0: DCMS would answer no 429),
 *   - DynamoDB calls per token, and fairness (smallest ÷ largest instance share),
 * then the lanes: bulk instances saturating one tenant while a real-time trickle of the same tenant
 * takes tokens from another instance (its waits p50/p95/max); then Lambda-like demand: each instance
 * runs batches of 5 groups of 3 sequential calls and asks for nothing between its slowest group's
 * end and the next batch, so leases lapse with tokens unspent (spent ÷ net leased: what was handed
 * back counts as not leased).
 *
 *   npm run bench -- fleet-limiter [seconds=8] [workers per instance=30]
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { createResources, startEmulators } from '../local/emulators.js';
import { LOCAL_AWS } from '../shared/tooling/local-aws.js';
import { FleetRateLimiter, type Lane } from '../shared/resilience/fleet-rate-limiter.js';
import type { RateLimit } from '../shared/resilience/rate-limiter.js';
import { freePort } from '../local/free-port.js';

const seconds = Number(process.argv[2] ?? 8);
const workers = Number(process.argv[3] ?? 30);
const STANDARD: RateLimit = { perSecond: 100, burst: 200 };
const SLOW: RateLimit = { perSecond: 50, burst: 100 };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const dcmsLatency = () => 150 + Math.random() * 150;
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))] ?? 0;

const emulators = await startEmulators({ dynamoPort: await freePort(), sqsPort: await freePort() });
const endpoint = emulators.dynamoEndpoint;
const admin = new DynamoDBClient({ endpoint, region: LOCAL_AWS.region, credentials: LOCAL_AWS });
const sqs = new SQSClient({ endpoint: emulators.sqsEndpoint, region: LOCAL_AWS.region, credentials: LOCAL_AWS });
const table = (await createResources(sqs, admin, { prefix: 'bench', visibilityTimeoutSeconds: 5 })).tables.integrationState;
// DynamoDB Local is a JVM: its first few hundred conditional writes run at a fraction of its warm speed.
await warmUp();

interface Instance {
  limiter: FleetRateLimiter;
  dynamo: DynamoDBClient;
  calls: { count: number };
  leased: { tokens: number };
  grants: number[];
  waits: number[];
}

function instance(limit: RateLimit): Instance {
  const dynamo = new DynamoDBClient({ endpoint, region: LOCAL_AWS.region, credentials: LOCAL_AWS });
  const calls = { count: 0 };
  dynamo.middlewareStack.add((next) => async (args) => ((calls.count += 1), next(args)), { step: 'initialize', name: 'benchCounter' });
  // Net tokens leased: what was handed back unspent does not count.
  const leased = { tokens: 0 };
  const limiter = new FleetRateLimiter({
    dynamo,
    tableName: table,
    limitOf: () => limit,
    onLease: (lease) => (leased.tokens += lease.granted),
    onGiveBack: (back) => (leased.tokens -= back.accepted ? back.tokens : 0),
  });
  return { limiter, dynamo, calls, leased, grants: [], waits: [] };
}

async function warmUp(): Promise<void> {
  const { limiter, dynamo } = instance({ perSecond: 10_000, burst: 10_000 });
  for (let i = 0; i < 500; i += 1) await limiter.acquire(`WARM_UP_${i % 20}`);
  dynamo.destroy();
}

/** `count` workers: take a token, then a DCMS call's worth of time, until `until`. */
async function load(target: Instance, tenant: string, count: number, until: number, lane: Lane, pauseMs: () => number = dcmsLatency): Promise<void> {
  await Promise.all(
    Array.from({ length: count }, async () => {
      while (Date.now() < until) {
        const asked = performance.now();
        await target.limiter.acquire(tenant, { lane });
        target.waits.push(performance.now() - asked);
        target.grants.push(Date.now());
        await sleep(pauseMs());
      }
    }),
  );
}

/** Largest excess of grants over `rate × t + burst`, over every window between two grants. */
function worstExcess(grants: number[], limit: RateLimit): number {
  const sorted = [...grants].sort((a, b) => a - b);
  let worst = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < sorted.length; i += 1) {
    for (let j = i; j < sorted.length; j += 1) worst = Math.max(worst, j - i + 1 - ((limit.perSecond * (sorted[j]! - sorted[i]!)) / 1_000 + limit.burst));
  }
  return worst;
}

async function fleetRun(size: number, limit: RateLimit, tenant: string) {
  const fleet = Array.from({ length: size }, () => instance(limit));
  const started = Date.now();
  await Promise.all(fleet.map((member) => load(member, tenant, workers, started + seconds * 1_000, 'bulk')));
  const grants = fleet.flatMap((member) => member.grants);
  const sustained = grants.filter((at) => at >= started + 2_000 && at < started + seconds * 1_000).length / (seconds - 2);
  const shares = fleet.map((member) => member.grants.length);
  const calls = fleet.reduce((sum, member) => sum + member.calls.count, 0);
  fleet.forEach((member) => member.dynamo.destroy());
  return {
    instances: size,
    limit: `${limit.perSecond}/s burst ${limit.burst}`,
    'tokens/s': sustained.toFixed(1),
    '÷ limit': (sustained / limit.perSecond).toFixed(3),
    'worst excess': worstExcess(grants, limit).toFixed(1),
    'DynamoDB calls/token': (calls / grants.length).toFixed(3),
    'fairness min/max': (Math.min(...shares) / Math.max(...shares)).toFixed(2),
    'wait p95 ms': percentile(
      fleet.flatMap((m) => m.waits),
      95,
    ).toFixed(0),
  };
}

async function lanesRun(bulkInstances: number, limit: RateLimit, tenant: string) {
  const bulk = Array.from({ length: bulkInstances }, () => instance(limit));
  const realtime = instance(limit);
  const until = Date.now() + seconds * 1_000;
  const bulkLoad = Promise.all(bulk.map((member) => load(member, tenant, workers, until, 'bulk')));
  await sleep(1_000);
  // A steady trickle: 5 real-time workers, one token each every 200–500 ms (about 15 calls/s).
  await load(realtime, tenant, 5, until, 'realtime', () => 200 + Math.random() * 300);
  await bulkLoad;
  const bulkTokens = bulk.flatMap((member) => member.grants);
  [...bulk, realtime].forEach((member) => member.dynamo.destroy());
  return {
    'bulk instances': bulkInstances,
    'bulk tokens/s': (bulkTokens.length / seconds).toFixed(1),
    'real-time tokens': realtime.grants.length,
    'real-time wait p50 ms': percentile(realtime.waits, 50).toFixed(1),
    'p95 ms': percentile(realtime.waits, 95).toFixed(1),
    'max ms': Math.max(...realtime.waits).toFixed(1),
    'worst excess (all)': worstExcess([...bulkTokens, ...realtime.grants], limit).toFixed(1),
  };
}

/** Lambda-like demand: batches of `groups` groups, each `callsPerGroup` sequential calls; the next batch after the slowest group. */
async function batchRun(size: number, limit: RateLimit, tenant: string, groups = 5, callsPerGroup = 3) {
  const fleet = Array.from({ length: size }, () => instance(limit));
  const started = Date.now();
  const until = started + seconds * 1_000;
  const group = async (member: Instance) => {
    for (let call = 0; call < callsPerGroup; call += 1) {
      await member.limiter.acquire(tenant, { lane: 'bulk' });
      member.grants.push(Date.now());
      await sleep(dcmsLatency());
    }
  };
  await Promise.all(
    fleet.map(async (member) => {
      while (Date.now() < until) {
        await Promise.all(Array.from({ length: groups }, () => group(member)));
        await sleep(50);
      }
    }),
  );
  const grants = fleet.flatMap((member) => member.grants);
  const leased = fleet.reduce((sum, member) => sum + member.leased.tokens, 0);
  const sustained = grants.filter((at) => at >= started + 2_000 && at < until).length / (seconds - 2);
  fleet.forEach((member) => member.dynamo.destroy());
  return {
    instances: size,
    limit: `${limit.perSecond}/s`,
    'tokens/s': sustained.toFixed(1),
    '÷ limit': (sustained / limit.perSecond).toFixed(3),
    'spent ÷ net leased': (grants.length / leased).toFixed(3),
    'worst excess': worstExcess(grants, limit).toFixed(1),
  };
}

try {
  console.log(
    `fleet limiter, ${cpus()[0]?.model ?? 'unknown CPU'} (${availableParallelism()} cores, load ${loadavg()[0]!.toFixed(2)}), DynamoDB Local, ${seconds} s per run, ${workers} workers per instance\n`,
  );
  const fleets = [];
  for (const size of [2, 3, 4]) fleets.push(await fleetRun(size, STANDARD, `STANDARD_${size}`));
  fleets.push(await fleetRun(3, SLOW, 'SLOW_3'));
  console.table(fleets);
  console.table([await lanesRun(3, STANDARD, 'LANES')]);
  console.table([await batchRun(4, SLOW, 'BATCH_4_SLOW'), await batchRun(6, SLOW, 'BATCH_6_SLOW'), await batchRun(6, STANDARD, 'BATCH_6'), await batchRun(10, STANDARD, 'BATCH_10')]);
} finally {
  admin.destroy();
  sqs.destroy();
  await emulators.stop();
}

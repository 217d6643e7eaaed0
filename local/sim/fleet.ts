import { IdempotencyConfig } from '@aws-lambda-powertools/idempotency';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createCardControlsHandler } from '../../functions/card-controls/app.js';
import { createCoreBankingHandler } from '../../functions/core-banking-events/app.js';
import { createCourierHandler } from '../../functions/courier-events/app.js';
import type { Card91Client } from '../../shared/card91/index.js';
import type { Card91WorkerEnv } from '../../shared/config/card91-worker-env.js';
import type { DcmsWorkerEnv } from '../../shared/config/dcms-worker-env.js';
import type { RetryPolicy } from '../../shared/config/resources.js';
import { TenantDirectory } from '../../shared/config/tenants.js';
import type { DcmsClient } from '../../shared/dcms/client.js';
import { DeadLetterPublisher } from '../../shared/messaging/dead-letter.js';
import type { RetryHistoryStore } from '../../shared/messaging/retry-history.js';
import { GroupRequeuer } from '../../shared/messaging/requeue.js';
import { FailureSettler } from '../../shared/messaging/settle.js';
import { createTelemetry, type OutcomeReport } from '../../shared/observability/telemetry.js';
import type { KitLedger } from '../../shared/persistence/kit-ledger.js';
import type { Safeguards } from '../../shared/protocol/safeguards.js';
import type { DcmsWorkerRuntime } from '../../shared/worker/dcms-runtime.js';
import type { Card91WorkerRuntime } from '../../shared/worker/card91-runtime.js';
import type { QueueWorkerRuntime } from '../../shared/worker/queue-runtime.js';
import type { SimCard91 } from './card91.js';
import type { SimDcms } from './dcms.js';
import { simSqsClient, SimQueue } from './sqs.js';
import type { SimStore } from './store.js';
import { SIM_TENANT } from './scenario.js';
import { PLATFORM, type World } from './world.js';

/** The production timings the protocol is proven with (shared/config/resources.ts, the workers' defaults). */
export const SIM_TIMINGS = {
  functionTimeoutMs: 60_000,
  deadlineMarginMs: 3_000,
  settleWindowSeconds: 120,
  /** A receive that finds nothing waits this long (Lambda's long poll). */
  emptyPollMs: 5_000,
};

/** Budgets short enough for a run to see an orphan account give up; the backoff is production's. */
export const SIM_RETRY_POLICY: RetryPolicy = {
  budgetSeconds: 1_800,
  categoryBudgetSeconds: { DependencyNotReady: 3_600 },
  backoffBaseSeconds: 30,
  backoffCapSeconds: 900,
  circuitTrialCapSeconds: 300,
};

const MAX_RECEIVE_COUNT = 100;

export type WorkerName = 'coreBanking' | 'courier' | 'cardControls';

export interface Fleet {
  queues: Record<WorkerName, SimQueue>;
  dlqs: Record<WorkerName, SimQueue>;
  outcomes: OutcomeReport[];
  /** Invocations started and killed (a Lambda timeout at any await). */
  invocations: { started: number; killed: number };
  stop(): void;
}

interface Platforms {
  world: World;
  dcms: SimDcms;
  card91: SimCard91;
  store: SimStore;
}

/** The simulated tenant; it declares that this integration alone issues its cards unless the scenario has a branch issuing some. */
const tenantsFor = (issuesElsewhere: boolean) =>
  new TenantDirectory([{ tenant: SIM_TENANT, business: SIM_TENANT, businessId: '687', businessType: SIM_TENANT, rateLimit: { perSecond: 100, burst: 200 }, verifyBeforeFirstIssue: issuesElsewhere }]);

/**
 * N instances of each worker, each the real handler (functions/*) over a runtime whose ports are
 * the simulated platforms, fed by pollers that drive them as the Lambda event source does: a batch
 * at a time, the successful records deleted, the failed ones left to their visibility timeout,
 * an invocation killed by its timeout at any await point (its records come back, nothing else of
 * it runs), instances reused from one batch to the next.
 */
export function startFleet(platforms: Platforms, options: { instances: number; skewsMs: number[]; killRate: () => number; safeguards: Safeguards; issuesElsewhere: boolean }): Fleet {
  const { world } = platforms;
  const tenants = tenantsFor(options.issuesElsewhere);
  const dlqs = {
    coreBanking: new SimQueue(world, { name: 'core-banking-dlq', fifo: true, maxReceiveCount: Infinity, visibilityTimeoutMs: 30_000 }),
    courier: new SimQueue(world, { name: 'courier-dlq', fifo: false, maxReceiveCount: Infinity, visibilityTimeoutMs: 30_000 }),
    cardControls: new SimQueue(world, { name: 'card-controls-dlq', fifo: true, maxReceiveCount: Infinity, visibilityTimeoutMs: 30_000 }),
  };
  const visibilityTimeoutMs = 6 * SIM_TIMINGS.functionTimeoutMs;
  const queues = {
    coreBanking: new SimQueue(world, { name: 'core-banking', fifo: true, maxReceiveCount: MAX_RECEIVE_COUNT, visibilityTimeoutMs, dlq: dlqs.coreBanking }),
    courier: new SimQueue(world, { name: 'courier', fifo: false, maxReceiveCount: MAX_RECEIVE_COUNT, visibilityTimeoutMs, dlq: dlqs.courier }),
    cardControls: new SimQueue(world, { name: 'card-controls', fifo: true, maxReceiveCount: MAX_RECEIVE_COUNT, visibilityTimeoutMs, dlq: dlqs.cardControls }),
  };
  const sqs = simSqsClient(world, [...Object.values(queues), ...Object.values(dlqs)]);
  const outcomes: OutcomeReport[] = [];
  const invocations = { started: 0, killed: 0 };
  let stopped = false;

  const base = (worker: WorkerName): QueueWorkerRuntime => {
    const queue = queues[worker];
    return {
      telemetry: createTelemetry(`sim-${worker}`),
      sqs: sqs as never,
      dynamo: undefined as never,
      idempotency: {
        persistenceStore: platforms.store.persistenceLayer() as never,
        config: new IdempotencyConfig({ eventKeyJmesPath: 'key', expiresAfterSeconds: 7 * 86_400, throwOnNoIdempotencyKey: true }),
      },
      settler: new FailureSettler({
        sqs: sqs as never,
        queueUrl: queue.url,
        deadLetters: new DeadLetterPublisher({ sqs: sqs as never, dlqUrl: dlqs[worker].url, fifo: queue.settings.fifo, functionName: worker }),
        history: platforms.store.historyPort as unknown as RetryHistoryStore,
        policy: SIM_RETRY_POLICY,
        maxReceiveCount: MAX_RECEIVE_COUNT,
      }),
      requeuer: new GroupRequeuer(sqs as never, queue.url),
      retry: undefined as never,
      breaker: undefined as never,
      tenants: async () => tenants,
      currentTenants: () => tenants,
      deadline: (context) => Date.now() + context.getRemainingTimeInMillis() - SIM_TIMINGS.deadlineMarginMs,
      observer: (report) => void outcomes.push(report),
      safeguards: options.safeguards,
    };
  };
  const dcmsRuntime = (worker: 'coreBanking' | 'courier'): DcmsWorkerRuntime => ({
    ...base(worker),
    env: { SETTLE_WINDOW_SECONDS: SIM_TIMINGS.settleWindowSeconds } as DcmsWorkerEnv,
    dcms: platforms.dcms as unknown as DcmsClient,
    ledger: platforms.store.ledgerPort as unknown as KitLedger,
    pendingSends: platforms.store.markerPort as never,
    customers: platforms.store.coveragePort,
  });
  const card91Runtime = (): Card91WorkerRuntime => ({ ...base('cardControls'), env: {} as Card91WorkerEnv, card91: platforms.card91 as unknown as Card91Client });

  type Handler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
  const build: Record<WorkerName, () => Handler> = {
    coreBanking: () => createCoreBankingHandler(dcmsRuntime('coreBanking')) as Handler,
    courier: () => createCourierHandler(dcmsRuntime('courier')) as Handler,
    cardControls: () => createCardControlsHandler(card91Runtime()) as Handler,
  };

  for (const worker of Object.keys(queues) as WorkerName[]) {
    for (let instance = 0; instance < options.instances; instance++) {
      const handler = build[worker]();
      const skew = options.skewsMs[instance] ?? 0;
      const poller = world.newOwner(skew, () => !stopped);
      world.schedule(world.random.int(0, 1_000), poller, () => void poll(worker, handler, skew, poller));
    }
  }

  async function poll(worker: WorkerName, handler: Handler, skew: number, poller: number): Promise<void> {
    const queue = queues[worker];
    const batchSize = worker === 'courier' ? 20 : 10;
    while (!stopped) {
      const records = queue.receive(batchSize);
      if (records.length === 0) {
        await world.sleep(SIM_TIMINGS.emptyPollMs);
        continue;
      }
      world.log(`${worker} instance ${poller}: ${records.length} record(s) ${records.map((r) => `${r.messageId}×${r.attributes.ApproximateReceiveCount}`).join(' ')}`);
      const response = await invoke(handler, { Records: records }, skew, poller);
      if (response) {
        const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
        if (failed.size > 0) world.log(`${worker} instance ${poller}: back to the queue ${[...failed].join(' ')}`);
        for (const record of records) if (!failed.has(record.messageId)) queue.delete(record.receiptHandle);
      }
    }
  }

  /** One invocation; undefined when its timeout killed it first. The answer reaches the poller as the poller. */
  function invoke(handler: Handler, event: SQSEvent, skew: number, poller: number): Promise<SQSBatchResponse | undefined> {
    invocations.started += 1;
    const startedAt = world.now;
    // A kill lands anywhere in the first seconds, where nearly every invocation spends all of its time.
    const killAfter = world.random.chance(options.killRate()) ? world.random.int(0, 3_000) : SIM_TIMINGS.functionTimeoutMs;
    let over = false;
    const invocation = world.newOwner(skew, () => !over);
    const context = {
      functionName: 'sim',
      awsRequestId: `sim-${invocations.started}`,
      getRemainingTimeInMillis: () => Math.max(0, startedAt + SIM_TIMINGS.functionTimeoutMs - world.now),
    } as unknown as Context;
    return new Promise((settle) => {
      const resolve = (response: SQSBatchResponse | undefined) => world.schedule(0, poller, () => settle(response));
      world.schedule(killAfter, PLATFORM, () => {
        if (over) return;
        over = true;
        invocations.killed += 1;
        world.log(`invocation ${context.awsRequestId} killed after ${killAfter} ms`);
        resolve(undefined);
      });
      world.schedule(0, invocation, () => {
        handler(event, context).then(
          (response) => {
            if (over) return;
            over = true;
            resolve(response);
          },
          () => {
            // A handler that throws fails its whole batch: every record comes back.
            over = true;
            resolve({ batchItemFailures: event.Records.map((r) => ({ itemIdentifier: r.messageId })) });
          },
        );
      });
    });
  }

  return {
    queues,
    dlqs,
    outcomes,
    invocations,
    stop: () => void (stopped = true),
  };
}

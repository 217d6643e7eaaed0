import { createCoreBankingHandler } from '../../functions/core-banking-events/app.js';
import { createResources, type LocalResources } from '../../local/emulators.js';
import { SqsPoller } from '../../local/event-source/sqs-poller.js';
import { localWorkerEnv } from '../../local/worker-env.js';
import { startDcmsSandbox, type DcmsSandboxStats, type FaultSettings, type TenantHoldings } from '../../sandbox/dcms/server.js';
import { QUEUES } from '../../shared/config/resources.js';
import type { RateLimit } from '../../shared/resilience/rate-limiter.js';
import type { Lane } from '../../shared/resilience/tenant-rate-limiter.js';
import { createDcmsWorkerRuntime } from '../../shared/worker/dcms-runtime.js';
import type { BenchAws } from './local-aws.js';

/** What the workers saw while a run went on. */
export interface LaneRun {
  /** DCMS calls as the workers saw them: when answered, for whom, with what. */
  calls: Array<{ tenant: string; at: number; outcome: string; durationMs: number }>;
  /** Bulk records settled for good (a record that is retried comes back and is counted then). */
  bulkDone: number;
  deadLettered: number;
  /** When each real-time event was sent, and how long each took from send to settled. */
  sentAt: Map<string, number>;
  latencies: number[];
}

export interface LaneOptions {
  prefix: string;
  limit: RateLimit;
  faults: FaultSettings;
  tenants: readonly object[];
  bulkInstances: number;
  realtimeInstances: number;
  /** DCMS_BULK_SHARE of the bulk instances; unset: the workers' default. */
  bulkShare?: string;
}

export interface Lanes {
  bulkQueueUrl: string;
  realtimeQueueUrl: string;
  run: LaneRun;
  start(): void;
  /** Stops every instance and the sandbox; what DCMS holds then (its effects per tenant, the second cards it issued). */
  /** Stops the lanes: the sandbox's stats and what it holds per tenant, at the end. */
  stop(): Promise<DcmsSandboxStats & { holdings: Record<string, TenantHoldings> }>;
}

/**
 * The core-banking worker in both lanes against the DCMS sandbox: every instance a separate
 * runtime (its own clients, limiter, circuit breakers) driven by an SqsPoller, as separate Lambda
 * instances are.
 */
export async function startLanes(aws: BenchAws, options: LaneOptions): Promise<Lanes> {
  const resources: LocalResources = await createResources(aws.sqs, aws.dynamo, { prefix: options.prefix, visibilityTimeoutSeconds: 30 });
  const dcms = await startDcmsSandbox({ port: 0, rateLimit: options.limit, faults: options.faults });
  const run: LaneRun = { calls: [], bulkDone: 0, deadLettered: 0, sentAt: new Map(), latencies: [] };
  const tenantsJson = JSON.stringify(options.tenants);

  const pollers = (queue: 'coreBanking' | 'coreBankingBulk', lane: Lane, instances: number) =>
    Array.from({ length: instances }, () => {
      const env = {
        ...localWorkerEnv({ resources, queue, serviceName: 'core-banking-events', dcmsBaseUrl: dcms.url, tenantsJson, fast: true }),
        DCMS_LANE: lane,
        ...(options.bulkShare !== undefined && { DCMS_BULK_SHARE: options.bulkShare }),
      };
      const runtime = createDcmsWorkerRuntime(env, {
        onDcmsCall: (call) => run.calls.push({ tenant: call.tenant, at: performance.now(), outcome: call.outcome, durationMs: call.durationMs }),
        observer: (report) => {
          // `retried` is not final: the record comes back.
          if (report.outcome === 'retried') return;
          if (report.outcome === 'deadLettered') run.deadLettered += 1;
          if (lane === 'bulk') run.bulkDone += 1;
          const sent = report.eventId === undefined ? undefined : run.sentAt.get(report.eventId);
          if (sent !== undefined) run.latencies.push(performance.now() - sent);
        },
      });
      const { url, arn } = resources.queues[queue];
      const description = QUEUES[queue];
      return new SqsPoller({
        sqs: aws.sqs,
        queueUrl: url,
        queueArn: arn,
        handler: createCoreBankingHandler(runtime),
        functionName: 'core-banking-events',
        functionTimeoutSeconds: description.functionTimeoutSeconds,
        batchSize: description.batchSize,
        batchingWindowSeconds: 0,
        waitTimeSeconds: 1,
      });
    });

  const workers = [...pollers('coreBankingBulk', 'bulk', options.bulkInstances), ...pollers('coreBanking', 'realtime', options.realtimeInstances)];
  return {
    bulkQueueUrl: resources.queues.coreBankingBulk.url,
    realtimeQueueUrl: resources.queues.coreBanking.url,
    run,
    start: () => workers.forEach((worker) => worker.start()),
    stop: async () => {
      await Promise.all(workers.map((worker) => worker.stop()));
      const stats = { ...dcms.stats(), holdings: dcms.holdings() };
      await dcms.close();
      return stats;
    },
  };
}

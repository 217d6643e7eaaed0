import { dcmsCredentialsProvider } from '../config/remote-config.js';
import { dcmsWorkerEnv, type DcmsWorkerEnv } from '../config/dcms-worker-env.js';
import { loadEnv } from '../config/queue-worker-env.js';
import { DEFAULT_TIMEOUTS_MS, DcmsClient, type DcmsCallInfo } from '../dcms/client.js';
import type { OutcomeObserver } from '../observability/telemetry.js';
import { recordDcmsCall } from '../observability/telemetry.js';
import { CustomerLedger, type CoveragePort } from '../persistence/customer-ledger.js';
import { KitLedger } from '../persistence/kit-ledger.js';
import { PendingSends } from '../persistence/pending-sends.js';
import { FleetRateLimiter } from '../resilience/fleet-rate-limiter.js';
import { createQueueWorkerRuntime, type QueueWorkerRuntime } from './queue-runtime.js';

/** A DCMS worker: the queue-worker runtime plus the DCMS client, the kit and customer ledgers and the write-ahead markers. */
export interface DcmsWorkerRuntime extends QueueWorkerRuntime {
  env: DcmsWorkerEnv;
  dcms: DcmsClient;
  ledger: KitLedger;
  pendingSends: PendingSends;
  customers: CoveragePort;
}

export interface DcmsRuntimeOptions {
  /** Local runs watch every record's outcome; Lambda has none. */
  observer?: OutcomeObserver;
  /** Local runs read DCMS call outcomes too, for their summary. */
  onDcmsCall?: (call: DcmsCallInfo) => void;
}

export function createDcmsWorkerRuntime(source: NodeJS.ProcessEnv = process.env, options: DcmsRuntimeOptions = {}): DcmsWorkerRuntime {
  const env = loadEnv(dcmsWorkerEnv, source);
  const base = createQueueWorkerRuntime(env, options.observer);
  const { metrics, logger } = base.telemetry;
  // The limiter runs after parseEvent accepted the tenant, so its settings are in the directory.
  const limits = (tenant: string) => base.currentTenants()!.get(tenant).rateLimit;
  const dcms = new DcmsClient({
    baseUrl: env.DCMS_BASE_URL,
    credentials: dcmsCredentialsProvider(env.DCMS_CREDENTIALS_SECRET),
    ...(env.DCMS_TIMEOUT_MS !== undefined && { timeoutsMs: cappedTimeouts(env.DCMS_TIMEOUT_MS) }),
    retry: base.retry,
    breaker: base.breaker('DCMS'),
    // One DCMS budget per tenant for the whole fleet, in the state table (RATE#<tenant>); this worker's lane by default.
    limiter: new FleetRateLimiter({ dynamo: base.dynamo, tableName: env.STATE_TABLE, limitOf: limits, bulkShare: env.DCMS_BULK_SHARE }).forLane(env.DCMS_LANE),
    onCall: (call) => {
      recordDcmsCall(metrics, logger, call);
      options.onDcmsCall?.(call);
    },
  });
  return {
    ...base,
    env,
    dcms,
    ledger: new KitLedger(base.dynamo, env.STATE_TABLE),
    pendingSends: new PendingSends(base.dynamo, env.STATE_TABLE),
    customers: new CustomerLedger(base.dynamo, env.STATE_TABLE),
  };
}

const cappedTimeouts = (cap: number) => Object.fromEntries(Object.entries(DEFAULT_TIMEOUTS_MS).map(([operation, ms]) => [operation, Math.min(ms, cap)]));

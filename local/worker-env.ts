import { LOCAL_CARD91_SDK_AUTH_SECRETS, SANDBOX_ORG_ID } from '../shared/tooling/local-card91.js';
import { QUEUES, type QueueKey } from '../shared/config/resources.js';
import type { Lane } from '../shared/resilience/fleet-rate-limiter.js';
import type { LocalResources } from './emulators.js';

/** What every local queue worker shares: its queue, DLQ, idempotency table, tenants, fast retries. */
interface QueueWorkerEnvOptions {
  resources: LocalResources;
  queue: QueueKey;
  serviceName: string;
  tenantsJson: string;
  /** Short retry backoff and visibility growth, so a local run drains in seconds. */
  fast?: boolean;
  /** Fast mode: how long a record may keep failing before it is dead-lettered as Exhausted (default LOCAL_RETRY_BUDGET_SECONDS). */
  retryBudgetSeconds?: number;
}

/** Ten minutes of platform trouble delays a local event, it does not dead-letter it (the outage drill lasts 90 s). */
export const LOCAL_RETRY_BUDGET_SECONDS = 600;

function localQueueWorkerEnv(options: QueueWorkerEnvOptions): NodeJS.ProcessEnv {
  const queue = options.resources.queues[options.queue];
  const description = QUEUES[options.queue];
  return {
    ...process.env,
    POWERTOOLS_SERVICE_NAME: options.serviceName,
    AWS_LAMBDA_FUNCTION_NAME: options.serviceName,
    QUEUE_URL: queue.url,
    DLQ_URL: queue.dlqUrl,
    QUEUE_FIFO: String(description.fifo),
    MAX_RECEIVE_COUNT: String(description.maxReceiveCount),
    IDEMPOTENCY_TABLE: options.resources.tables.idempotency,
    TENANTS_JSON: options.tenantsJson,
    ...(options.fast && {
      RETRY_BASE_DELAY_MS: '20',
      RETRY_MAX_DELAY_MS: '200',
      VISIBILITY_BASE_SECONDS: '1',
      VISIBILITY_MAX_SECONDS: '2',
      CIRCUIT_FIRST_TRIAL_SECONDS: '1',
      CIRCUIT_TRIAL_CAP_SECONDS: '4',
      RETRY_BUDGET_SECONDS: String(options.retryBudgetSeconds ?? LOCAL_RETRY_BUDGET_SECONDS),
      DEADLINE_MARGIN_MS: '500',
    }),
  };
}

/** Calls to the platforms time out quickly in fast local runs. */
const FAST_PLATFORM_TIMEOUT_MS = '2000';

export interface LocalWorkerEnvOptions extends QueueWorkerEnvOptions {
  dcmsBaseUrl: string;
  /** The lane of each tenant's DCMS budget it draws from; default realtime. */
  lane?: Lane;
}

/**
 * The environment a deployed DCMS worker gets from the CDK stack, pointed at the local resources.
 * Local runs inline the tenants document instead of reading SSM; everything else is the same.
 */
export function localWorkerEnv(options: LocalWorkerEnvOptions): NodeJS.ProcessEnv {
  return {
    ...localQueueWorkerEnv(options),
    STATE_TABLE: options.resources.tables.integrationState,
    DCMS_BASE_URL: options.dcmsBaseUrl,
    DCMS_LANE: options.lane ?? 'realtime',
    // The sandbox's slow commits land 17 s after the request: a write whose answer was lost waits that out locally
    // (one machine, no skew; the window must also cover the send's delay after sentAt and the read's answer: local/model/README.md).
    ...(options.fast && { DCMS_TIMEOUT_MS: FAST_PLATFORM_TIMEOUT_MS, SETTLE_WINDOW_SECONDS: '20' }),
  };
}

export interface LocalCard91WorkerEnvOptions extends Omit<QueueWorkerEnvOptions, 'queue'> {
  /** The card-controls queue unless told otherwise. */
  queue?: QueueKey;
  card91BaseUrl: string;
  /** Default: the Card91 sandbox's own org id. */
  card91OrgId?: string;
  /** `[{"kid", "secret"}]` as JSON, as the auth webhook verifies them; default LOCAL_CARD91_SDK_AUTH_SECRETS. */
  sdkAuthSecretsJson?: string;
}

/**
 * The environment a deployed Card91 worker gets from the CDK stack, pointed at the local resources
 * and the Card91 sandbox. Local runs inline the tenants document and the sdkAuthToken signing
 * secrets instead of reading SSM and Secrets Manager; everything else is the same.
 */
export function localCard91WorkerEnv(options: LocalCard91WorkerEnvOptions): NodeJS.ProcessEnv {
  return {
    ...localQueueWorkerEnv({ ...options, queue: options.queue ?? 'cardControls' }),
    CARD91_BASE_URL: options.card91BaseUrl,
    CARD91_ORG_ID: options.card91OrgId ?? SANDBOX_ORG_ID,
    CARD91_SDK_AUTH_SECRETS_JSON: options.sdkAuthSecretsJson ?? JSON.stringify(LOCAL_CARD91_SDK_AUTH_SECRETS),
    ...(options.fast && { CARD91_TIMEOUT_MS: FAST_PLATFORM_TIMEOUT_MS }),
  };
}

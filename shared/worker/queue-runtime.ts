import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Context } from 'aws-lambda';
import { loadTenants } from '../config/remote-config.js';
import type { TenantDirectory } from '../config/tenants.js';
import type { QueueWorkerEnv } from '../config/worker-env.js';
import type { RetryPolicy } from '../config/resources.js';
import { DeadLetterPublisher } from '../messaging/dead-letter.js';
import { GroupRequeuer } from '../messaging/requeue.js';
import { RetryHistoryStore } from '../messaging/retry-history.js';
import { FailureSettler } from '../messaging/settle.js';
import { createTelemetry, type OutcomeObserver, type Telemetry } from '../observability/telemetry.js';
import { createIdempotency, type IdempotencySetup } from '../persistence/idempotency.js';
import { DEFAULT_BREAKER, DependencyBreaker } from '../resilience/breaker.js';
import { DEFAULT_RETRY, type RetryOptions } from '../resilience/retry.js';
import type { Safeguards } from '../protocol/safeguards.js';

/** What every queue worker needs, built once per Lambda instance (cold start) and reused. */
export interface QueueWorkerRuntime {
  telemetry: Telemetry;
  sqs: SQSClient;
  dynamo: DynamoDBClient;
  idempotency: IdempotencySetup;
  settler: FailureSettler;
  /** FIFO queues: moves a record to the back of its message group. */
  requeuer: GroupRequeuer;
  retry: RetryOptions;
  /** A circuit breaker for one platform, with this worker's trial timings (build one per platform, at cold start). */
  breaker: (dependency: string) => DependencyBreaker;
  /** Tenants from configuration (SSM, cached 5 minutes): read per invocation, cheap when cached. */
  tenants: () => Promise<TenantDirectory>;
  /** The directory the last `tenants()` call returned. */
  currentTenants: () => TenantDirectory | undefined;
  /** Epoch ms after which no new platform call starts in this invocation. */
  deadline: (context: Context) => number;
  observer?: OutcomeObserver;
  /** Only the fleet simulator sets this, to switch one safeguard off; absent, every safeguard is on. */
  safeguards?: Safeguards;
}

export function createQueueWorkerRuntime(env: QueueWorkerEnv, observer?: OutcomeObserver): QueueWorkerRuntime {
  const telemetry = createTelemetry(env.POWERTOOLS_SERVICE_NAME);
  // An explicit endpoint (local emulators) must be passed as such: from the environment alone, the SQS
  // client would send to the queue URL's own host instead.
  const sqs = telemetry.tracer.captureAWSv3Client(new SQSClient(env.AWS_ENDPOINT_URL_SQS ? { endpoint: env.AWS_ENDPOINT_URL_SQS } : {}));
  const dynamo = telemetry.tracer.captureAWSv3Client(new DynamoDBClient({}));
  let tenantsCache: TenantDirectory | undefined;
  const deadLetters = new DeadLetterPublisher({ sqs, dlqUrl: env.DLQ_URL, fifo: env.QUEUE_FIFO, functionName: env.AWS_LAMBDA_FUNCTION_NAME });
  const policy: RetryPolicy = {
    budgetSeconds: env.RETRY_BUDGET_SECONDS,
    ...(env.DEPENDENCY_RETRY_BUDGET_SECONDS !== undefined && { categoryBudgetSeconds: { DependencyNotReady: env.DEPENDENCY_RETRY_BUDGET_SECONDS } }),
    backoffBaseSeconds: env.VISIBILITY_BASE_SECONDS,
    backoffCapSeconds: env.VISIBILITY_MAX_SECONDS,
    circuitTrialCapSeconds: env.CIRCUIT_TRIAL_CAP_SECONDS,
  };
  return {
    telemetry,
    sqs,
    dynamo,
    idempotency: createIdempotency(dynamo, env.IDEMPOTENCY_TABLE, env.IDEMPOTENCY_TTL_SECONDS),
    settler: new FailureSettler({
      sqs,
      queueUrl: env.QUEUE_URL,
      deadLetters,
      history: new RetryHistoryStore(dynamo, env.IDEMPOTENCY_TABLE, Math.max(env.RETRY_BUDGET_SECONDS, env.DEPENDENCY_RETRY_BUDGET_SECONDS ?? 0) + 86_400),
      policy,
      maxReceiveCount: env.MAX_RECEIVE_COUNT,
    }),
    requeuer: new GroupRequeuer(sqs, env.QUEUE_URL),
    retry: { ...DEFAULT_RETRY, baseDelayMs: env.RETRY_BASE_DELAY_MS, maxDelayMs: env.RETRY_MAX_DELAY_MS },
    breaker: (dependency) =>
      new DependencyBreaker(dependency, { ...DEFAULT_BREAKER, halfOpenAfterMs: env.CIRCUIT_FIRST_TRIAL_SECONDS * 1_000, maxHalfOpenAfterMs: env.CIRCUIT_TRIAL_CAP_SECONDS * 1_000 }),
    tenants: async () => (tenantsCache = await loadTenants(env)),
    currentTenants: () => tenantsCache,
    deadline: (context) => Date.now() + context.getRemainingTimeInMillis() - env.DEADLINE_MARGIN_MS,
    ...(observer && { observer }),
  };
}

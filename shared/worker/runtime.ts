import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Context } from 'aws-lambda';
import { dcmsCredentialsProvider, loadTenants } from '../config/remote-config.js';
import type { TenantDirectory } from '../config/tenants.js';
import { loadWorkerEnv, type WorkerEnv } from '../config/worker-env.js';
import { DEFAULT_TIMEOUTS_MS, DcmsClient, type DcmsCallInfo } from '../dcms/client.js';
import { DeadLetterPublisher } from '../messaging/dead-letter.js';
import { FailureSettler } from '../messaging/settle.js';
import { recordDcmsCall, createTelemetry, type OutcomeObserver, type Telemetry } from '../observability/telemetry.js';
import { createIdempotency, type IdempotencySetup } from '../persistence/idempotency.js';
import { KitLedger } from '../persistence/kit-ledger.js';
import { DependencyBreaker } from '../resilience/breaker.js';
import { TokenBucketLimiter } from '../resilience/rate-limiter.js';
import { DEFAULT_RETRY } from '../resilience/retry.js';

/** Everything a DCMS worker needs, built once per Lambda instance (cold start) and reused. */
export interface WorkerRuntime {
  env: WorkerEnv;
  telemetry: Telemetry;
  sqs: SQSClient;
  dynamo: DynamoDBClient;
  dcms: DcmsClient;
  idempotency: IdempotencySetup;
  ledger: KitLedger;
  settler: FailureSettler;
  /** Tenants from configuration (SSM, cached 5 minutes) — read per invocation, cheap when cached. */
  tenants: () => Promise<TenantDirectory>;
  /** Epoch ms after which no new DCMS attempt starts in this invocation. */
  deadline: (context: Context) => number;
  observer?: OutcomeObserver;
}

export interface RuntimeOptions {
  /** Local runs watch every record's outcome; Lambda has none. */
  observer?: OutcomeObserver;
  /** Local runs read DCMS call outcomes too, for their summary. */
  onDcmsCall?: (call: DcmsCallInfo) => void;
}

export function createWorkerRuntime(source: NodeJS.ProcessEnv = process.env, options: RuntimeOptions = {}): WorkerRuntime {
  const env = loadWorkerEnv(source);
  const telemetry = createTelemetry(env.POWERTOOLS_SERVICE_NAME);
  // An explicit endpoint (local emulators) must be passed as such: from the environment alone, the SQS
  // client would send to the queue URL's own host instead.
  const sqsEndpoint = source.AWS_ENDPOINT_URL_SQS;
  const sqs = telemetry.tracer.captureAWSv3Client(new SQSClient(sqsEndpoint ? { endpoint: sqsEndpoint } : {}));
  const dynamo = telemetry.tracer.captureAWSv3Client(new DynamoDBClient({}));
  let tenantsCache: TenantDirectory | undefined;
  const tenants = async () => (tenantsCache = await loadTenants(env));
  // The limiter runs after parseEvent accepted the tenant, so its settings are in the directory.
  const limits = (tenant: string) => tenantsCache!.get(tenant).rateLimit;
  const dcms = new DcmsClient({
    baseUrl: env.DCMS_BASE_URL,
    credentials: dcmsCredentialsProvider(env.DCMS_CREDENTIALS_SECRET),
    ...(env.DCMS_TIMEOUT_MS !== undefined && { timeoutsMs: cappedTimeouts(env.DCMS_TIMEOUT_MS) }),
    retry: { ...DEFAULT_RETRY, baseDelayMs: env.RETRY_BASE_DELAY_MS, maxDelayMs: env.RETRY_MAX_DELAY_MS },
    breaker: new DependencyBreaker('DCMS'),
    limiter: new TokenBucketLimiter((t) => limits(t).perSecond, (t) => limits(t).burst),
    onCall: (call) => {
      recordDcmsCall(telemetry.metrics, telemetry.logger, call);
      options.onDcmsCall?.(call);
    },
  });
  const deadLetters = new DeadLetterPublisher({ sqs, dlqUrl: env.DLQ_URL, fifo: env.QUEUE_FIFO, functionName: env.AWS_LAMBDA_FUNCTION_NAME });
  return {
    env,
    telemetry,
    sqs,
    dynamo,
    dcms,
    idempotency: createIdempotency(dynamo, env.IDEMPOTENCY_TABLE, env.IDEMPOTENCY_TTL_SECONDS),
    ledger: new KitLedger(dynamo, env.STATE_TABLE),
    settler: new FailureSettler({
      sqs,
      queueUrl: env.QUEUE_URL,
      deadLetters,
      maxReceiveCount: env.MAX_RECEIVE_COUNT,
      visibilityBaseSeconds: env.VISIBILITY_BASE_SECONDS,
      visibilityMaxSeconds: env.VISIBILITY_MAX_SECONDS,
    }),
    tenants,
    deadline: (context) => Date.now() + context.getRemainingTimeInMillis() - env.DEADLINE_MARGIN_MS,
    ...(options.observer && { observer: options.observer }),
  };
}

const cappedTimeouts = (cap: number) =>
  Object.fromEntries(Object.entries(DEFAULT_TIMEOUTS_MS).map(([operation, ms]) => [operation, Math.min(ms, cap)]));

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { originCheckFrom } from '../../shared/edge/origin.js';
import { createTelemetry, type Telemetry } from '../../shared/observability/telemetry.js';
import { AwbIndex } from '../../shared/persistence/awb-index.js';
import type { CourierWebhookDependencies } from './webhook.js';
import { loadWebhookEnv } from '../../shared/config/courier-webhook-env.js';
import { courierDirectoryLoader } from '../../shared/courier/couriers.js';
import { DynamoReplayGuard } from './replay.js';
import { secretsManagerSource, staticSecretsSource, type CourierSecrets } from '../../shared/courier/secrets.js';

/** JSON.parse quotes the text it fails on, and this text holds keys: its error is not passed on. */
function parseSecretsDocument(json: string): Record<string, CourierSecrets> {
  try {
    return JSON.parse(json) as Record<string, CourierSecrets>;
  } catch {
    throw new Error('COURIER_SECRETS_JSON is not valid JSON');
  }
}

export type CourierWebhookRuntime = CourierWebhookDependencies & { telemetry: Telemetry };

/**
 * Everything the webhook needs, built once per Lambda instance (cold start) from the environment.
 * SQS retries inside a request are short: the courier is waiting on the line, and its own retry
 * of a failed request is the longer loop.
 */
export function createCourierWebhookRuntime(source: NodeJS.ProcessEnv = process.env): CourierWebhookRuntime {
  const env = loadWebhookEnv(source);
  const telemetry = createTelemetry(env.POWERTOOLS_SERVICE_NAME);
  // An explicit endpoint (local emulators) must be passed as such: from the environment alone, the SQS
  // client would send to the queue URL's own host instead.
  const sqsEndpoint = source.AWS_ENDPOINT_URL_SQS;
  const sqs = telemetry.tracer.captureAWSv3Client(new SQSClient(sqsEndpoint ? { endpoint: sqsEndpoint } : {}));
  const dynamo = telemetry.tracer.captureAWSv3Client(new DynamoDBClient({}));
  return {
    couriers: courierDirectoryLoader(env),
    secrets: env.COURIER_SECRETS_JSON ? staticSecretsSource(parseSecretsDocument(env.COURIER_SECRETS_JSON)) : secretsManagerSource(),
    replay: new DynamoReplayGuard(dynamo, env.REPLAY_TABLE),
    awbIndex: new AwbIndex(dynamo, env.STATE_TABLE),
    enqueue: {
      queueUrl: env.COURIER_QUEUE_URL,
      sendBatch: (input) => sqs.send(new SendMessageBatchCommand(input)),
      retry: { maxRetries: 3, baseDelayMs: 100, maxDelayMs: 1_000, minAttemptMs: 250 },
      concurrency: 5,
    },
    telemetry,
    limits: {
      maxBodyBytes: env.MAX_BODY_BYTES,
      maxEventsPerRequest: env.MAX_EVENTS_PER_REQUEST,
      signatureToleranceSeconds: env.SIGNATURE_TOLERANCE_SECONDS,
      maxFutureSeconds: env.MAX_FUTURE_SECONDS,
      earliestOccurredAtMs: Date.parse(env.EARLIEST_OCCURRED_AT),
    },
    deadlineMarginMs: 1_000,
    origin: originCheckFrom(env),
  };
}

import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import * as z from 'zod';
import { Card91Client, mintSdkAuthToken, type Card91CallInfo, type SdkAuthSecret } from '../card91/index.js';
import { card91WorkerEnv, loadEnv, type Card91WorkerEnv } from '../config/worker-env.js';
import type { OutcomeObserver } from '../observability/telemetry.js';
import { DependencyBreaker } from '../resilience/breaker.js';
import { createQueueWorkerRuntime, type QueueWorkerRuntime } from './queue-runtime.js';

/** A Card91 worker: the queue-worker runtime plus the Card91 client. */
export interface Card91WorkerRuntime extends QueueWorkerRuntime {
  env: Card91WorkerEnv;
  card91: Card91Client;
}

export interface Card91RuntimeOptions {
  /** Local runs watch every record's outcome; Lambda has none. */
  observer?: OutcomeObserver;
  /** Local runs read Card91 call outcomes too, for their summary. */
  onCard91Call?: (call: Card91CallInfo) => void;
}

/** Same cache as the other secrets: a rotation reaches every instance within five minutes. */
const SECRET_CACHE_SECONDS = 300;
/** Card91 has our webhook verify the token during the login that follows at once; a short life limits a leaked one. */
const SDK_AUTH_TOKEN_TTL_SECONDS = 120;

/** `[{"kid", "secret"}, …]`: the first entry signs, every entry verifies (two during a rotation). */
const sdkAuthSecretsDocument = z.array(z.object({ kid: z.string().min(1), secret: z.string().min(32) })).min(1);

export type SecretsSource = Pick<Card91WorkerEnv, 'CARD91_SDK_AUTH_SECRETS_ID' | 'CARD91_SDK_AUTH_SECRETS_JSON'>;

/** Validates a secrets document; the error names where it came from, never its content. */
function secretsFrom(value: unknown, origin: string): readonly SdkAuthSecret[] {
  const parsed = sdkAuthSecretsDocument.safeParse(value);
  if (!parsed.success) throw new Error(`${origin} does not hold [{"kid": "…", "secret": "≥32 characters"}, …]`);
  return parsed.data;
}

/**
 * The signing secrets of our sdkAuthTokens: Secrets Manager through the Powertools cache
 * (production), or the inline document (local runs), which wins when both are set, as
 * TENANTS_JSON does.
 */
export function sdkAuthSecretsProvider(source: SecretsSource): () => Promise<readonly SdkAuthSecret[]> {
  if (source.CARD91_SDK_AUTH_SECRETS_JSON) {
    let document: unknown;
    try {
      document = JSON.parse(source.CARD91_SDK_AUTH_SECRETS_JSON);
    } catch {
      // JSON.parse quotes the input in its message: never let a secret reach a log that way.
      throw new Error('CARD91_SDK_AUTH_SECRETS_JSON is not valid JSON');
    }
    const inline = secretsFrom(document, 'CARD91_SDK_AUTH_SECRETS_JSON');
    return async () => inline;
  }
  const secretId = source.CARD91_SDK_AUTH_SECRETS_ID;
  if (!secretId) throw new Error('set CARD91_SDK_AUTH_SECRETS_ID or CARD91_SDK_AUTH_SECRETS_JSON');
  return async () => secretsFrom(await getSecret(secretId, { maxAge: SECRET_CACHE_SECONDS, transform: 'json' }), `secret ${secretId}`);
}

/** Mints our sdkAuthToken for a customer login, signed with the first (current) secret. */
export function sdkAuthTokenProvider(source: SecretsSource): (mobile: string) => Promise<string> {
  const secrets = sdkAuthSecretsProvider(source);
  return async (mobile) => {
    const [signing] = await secrets();
    // The document schema guarantees at least one entry.
    return mintSdkAuthToken({ mobile, secret: signing!, ttlSeconds: SDK_AUTH_TOKEN_TTL_SECONDS });
  };
}

/** Card91 calls and latency by client method and outcome (HTTP status, `timeout` or `network`): the alarms' source. */
export function recordCard91Call(metrics: Metrics, logger: Logger, call: Card91CallInfo): void {
  const outcome = String(call.status);
  const single = metrics.singleMetric();
  single.addDimensions({ method: call.method, outcome });
  single.addMetric('Card91Calls', MetricUnit.Count, 1);
  single.addMetric('Card91Latency', MetricUnit.Milliseconds, call.durationMs);
  logger.debug('Card91 call', { method: call.method, outcome, durationMs: call.durationMs });
}

export function createCard91WorkerRuntime(source: NodeJS.ProcessEnv = process.env, options: Card91RuntimeOptions = {}): Card91WorkerRuntime {
  const env = loadEnv(card91WorkerEnv, source);
  const base = createQueueWorkerRuntime(env, options.observer);
  const { metrics, logger } = base.telemetry;
  const card91 = new Card91Client({
    baseUrl: env.CARD91_BASE_URL,
    orgId: env.CARD91_ORG_ID,
    sdkAuthTokenProvider: sdkAuthTokenProvider(env),
    ...(env.CARD91_TIMEOUT_MS !== undefined && { timeoutMs: env.CARD91_TIMEOUT_MS }),
    retry: base.retry,
    // Module scope in effect (built once per instance): every record of the instance shares it.
    breaker: new DependencyBreaker('Card91'),
    onCall: (call) => {
      recordCard91Call(metrics, logger, call);
      options.onCard91Call?.(call);
    },
  });
  return { ...base, env, card91 };
}

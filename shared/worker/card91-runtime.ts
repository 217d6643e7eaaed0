import { Card91Client, mintSdkAuthToken, type Card91CallInfo } from '../card91/index.js';
import { sdkAuthSecretsProvider, type SecretsSource } from '../card91/sdk-auth-secrets.js';
import { card91WorkerEnv, type Card91WorkerEnv } from '../config/card91-worker-env.js';
import { loadEnv } from '../config/queue-worker-env.js';
import { recordCard91Call, type OutcomeObserver } from '../observability/telemetry.js';
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

/** Card91 has our webhook verify the token during the login that follows at once; a short life limits a leaked one. */
const SDK_AUTH_TOKEN_TTL_SECONDS = 120;

/** Mints our sdkAuthToken for a customer login, signed with the first (current) secret. */
export function sdkAuthTokenProvider(source: SecretsSource): (mobile: string) => Promise<string> {
  const secrets = sdkAuthSecretsProvider(source);
  return async (mobile) => {
    const [signing] = await secrets();
    // The document schema guarantees at least one entry.
    return mintSdkAuthToken({ mobile, secret: signing!, ttlSeconds: SDK_AUTH_TOKEN_TTL_SECONDS });
  };
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
    breaker: base.breaker('Card91'),
    onCall: (call) => {
      recordCard91Call(metrics, logger, call);
      options.onCard91Call?.(call);
    },
  });
  return { ...base, env, card91 };
}

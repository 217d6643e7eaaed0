/**
 * The Card91 auth-URL webhook as Lambda runs it (API Gateway HTTP API, payload v2): middy with the
 * Powertools logger (masked JSON), metrics and tracer. Secrets come from Secrets Manager through
 * Powertools parameters (cached per instance), named by environment variables. The decision itself
 * lives in auth-webhook.ts / validate-login.ts.
 *
 *   CARD91_SDK_AUTH_SECRETS_ID            secret holding `[{"kid": "...", "secret": "..."}, ...]`:
 *                                         the first entry signs new tokens, every entry verifies
 *                                         (two during a rotation)
 *   CARD91_SDK_AUTH_SECRETS_JSON          the same document inline, for local runs only (wins when set)
 *   CARD91_BUSINESS_CREDENTIALS_ID        optional; secret holding `{"apiKey": "...", "apiSecret": "..."}`
 *                                         from the Card91 business portal, to answer with X-C91-B-Token
 *   CARD91_CALLER_SECRET_ID               secret holding `{"current": "...", "previous"?: "..."}`: the
 *                                         value Card91 sends in the caller header (auth-webhook.ts)
 *   CARD91_CALLER_SECRET_JSON             the same document inline, for local runs only (wins when set)
 *   REPLAY_TABLE                          the webhook-replay table, where accepted tokens are remembered;
 *                                         local runs without it remember them in memory
 *   ORIGIN_VERIFY_SECRET_ID               stages behind CloudFront: the origin secret (shared/edge/origin.ts)
 * Inline secrets and an in-memory replay record are refused in Lambda: every request gets a 500
 * and the log says why, so a misconfigured stage fails closed on the first login.
 *
 * Every validation is logged and counted (`LoginValidations` by outcome and reason): the outcome
 * and the failure reason only, never the token or the mobile.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { getSecret } from '../../shared/config/secrets.js';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import * as z from 'zod';
import { mintBusinessJwt } from '../../shared/card91/business-jwt.js';
import { sdkAuthSecretsProvider } from '../../shared/card91/sdk-auth-secrets.js';
import { originCheckFrom } from '../../shared/edge/origin.js';
import { instrument } from '../../shared/observability/instrument.js';
import { createTelemetry, type Telemetry } from '../../shared/observability/telemetry.js';
import { inlineSharedSecret, secretsManagerSharedSecret, type SharedSecretSource } from '../../shared/security/shared-secret.js';
import { createAuthWebhookHandler, type AuthWebhookOutcome } from './auth-webhook.js';
import { DynamoTokenReplayGuard, InMemoryTokenReplayGuard, type TokenReplayGuard } from './token-replay.js';

/** Long enough to spare Secrets Manager, short enough that a rotation reaches every instance within minutes. */
const SECRET_CACHE_SECONDS = 300;

/**
 * The business token in X-C91-B-Token is a bearer credential for Card91's business APIs: it lives
 * 2 minutes, the low end of the 2–5 minutes Card91 recommends (10 at most, no minimum published),
 * enough for Card91 to use it in the login it is validating (docs/reference/card91.md §1.2).
 */
export const BUSINESS_TOKEN_TTL_SECONDS = 120;

const businessCredentialsSchema = z.object({ apiKey: z.string().min(1), apiSecret: z.string().min(1) });

async function readBusinessCredentials(secretId: string) {
  const value: unknown = await getSecret(secretId, { transform: 'json', maxAge: SECRET_CACHE_SECONDS });
  const parsed = businessCredentialsSchema.safeParse(value);
  // The secret's content must never reach a log: name the secret only.
  if (!parsed.success) throw new Error(`secret ${secretId} does not have the expected shape`);
  return parsed.data;
}

/** A dependency that cannot be had: every request answers 500 and the log names the setting. */
const refused = (message: string) => () => Promise.reject(new Error(message));

function callerSecretsFrom(env: NodeJS.ProcessEnv): SharedSecretSource {
  if (env.CARD91_CALLER_SECRET_JSON) {
    if (env.AWS_EXECUTION_ENV) return refused('CARD91_CALLER_SECRET_JSON is refused in Lambda; use CARD91_CALLER_SECRET_ID (Secrets Manager)');
    return inlineSharedSecret(env.CARD91_CALLER_SECRET_JSON, 'CARD91_CALLER_SECRET_JSON');
  }
  if (env.CARD91_CALLER_SECRET_ID) return secretsManagerSharedSecret(env.CARD91_CALLER_SECRET_ID);
  return refused('set CARD91_CALLER_SECRET_ID or CARD91_CALLER_SECRET_JSON');
}

function replayGuardFrom(env: NodeJS.ProcessEnv, telemetry: Telemetry): TokenReplayGuard {
  if (env.REPLAY_TABLE) return new DynamoTokenReplayGuard(telemetry.tracer.captureAWSv3Client(new DynamoDBClient({})), env.REPLAY_TABLE);
  // One instance's memory would let a token through once per instance: never in Lambda.
  if (env.AWS_EXECUTION_ENV) return { firstUse: refused('set REPLAY_TABLE: accepted tokens must be remembered across instances') };
  return new InMemoryTokenReplayGuard();
}

/**
 * The Lambda handler, built from an environment (the deployed one by default; local runs pass
 * theirs, as the local stack serves this same handler behind its API Gateway stand-in).
 */
export function createAuthWebhookLambda(env: NodeJS.ProcessEnv = process.env) {
  const telemetry = createTelemetry(env.POWERTOOLS_SERVICE_NAME ?? 'card91-auth-webhook');
  const { logger, metrics } = telemetry;

  /** One log line and one `LoginValidations` count per request. */
  const recordOutcome = (outcome: AuthWebhookOutcome): void => {
    const reason = outcome.outcome === 'rejected' ? outcome.reason : undefined;
    const single = metrics.singleMetric();
    single.addDimensions({ outcome: outcome.outcome, ...(reason !== undefined && { reason }) });
    single.addMetric('LoginValidations', MetricUnit.Count, 1);
    if (outcome.outcome === 'accepted') logger.info('login validation', { outcome: outcome.outcome });
    else logger.warn('login validation', { outcome: outcome.outcome, reason });
  };

  const getSecrets = sdkAuthSecretsProvider(env);
  const businessCredentialsId = env.CARD91_BUSINESS_CREDENTIALS_ID;

  const validate = createAuthWebhookHandler({
    getSecrets,
    callerSecrets: callerSecretsFrom(env),
    replay: replayGuardFrom(env, telemetry),
    origin: originCheckFrom(env),
    businessTokenProvider: businessCredentialsId ? async () => mintBusinessJwt({ ...(await readBusinessCredentials(businessCredentialsId)), ttlSeconds: BUSINESS_TOKEN_TTL_SECONDS }) : undefined,
    onOutcome: recordOutcome,
  });

  return instrument<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>(validate, telemetry).onError((request) => {
    // Secrets unreadable or the business token not minted: Card91 gets a 500 and refuses the login.
    logger.error('login validation failed', { error: request.error as Error });
  });
}

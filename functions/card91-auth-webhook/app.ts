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
 *
 * Every validation is logged and counted (`LoginValidations` by outcome and reason): the outcome
 * and the failure reason only, never the token or the mobile.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { getSecret } from '../../shared/config/secrets.js';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import * as z from 'zod';
import { mintBusinessJwt } from '../../shared/card91/business-jwt.js';
import { sdkAuthSecretsProvider } from '../../shared/card91/sdk-auth-secrets.js';
import { instrument } from '../../shared/observability/instrument.js';
import { createTelemetry } from '../../shared/observability/telemetry.js';
import { createAuthWebhookHandler, type AuthWebhookOutcome } from './auth-webhook.js';


/** Long enough to spare Secrets Manager, short enough that a rotation reaches every instance within minutes. */
const SECRET_CACHE_SECONDS = 300;

const businessCredentialsSchema = z.object({ apiKey: z.string().min(1), apiSecret: z.string().min(1) });

async function readBusinessCredentials(secretId: string) {
  const value: unknown = await getSecret(secretId, { transform: 'json', maxAge: SECRET_CACHE_SECONDS });
  const parsed = businessCredentialsSchema.safeParse(value);
  // The secret's content must never reach a log: name the secret only.
  if (!parsed.success) throw new Error(`secret ${secretId} does not have the expected shape`);
  return parsed.data;
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
    businessTokenProvider: businessCredentialsId ? async () => mintBusinessJwt(await readBusinessCredentials(businessCredentialsId)) : undefined,
    onOutcome: recordOutcome,
  });

  return instrument<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>(validate, telemetry).onError((request) => {
      // Secrets unreadable or the business token not minted: Card91 gets a 500 and refuses the login.
      logger.error('login validation failed', { error: request.error as Error });
    });
}

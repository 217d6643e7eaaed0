/**
 * Lambda entry (API Gateway HTTP API, payload v2) for the Card91 auth-URL webhook. Minimal wiring:
 * secrets come from Secrets Manager through Powertools parameters (cached per instance), named
 * by environment variables. The decision itself lives in auth-webhook.ts / validate-login.ts.
 *
 *   CARD91_SDK_AUTH_SECRETS_ID            secret holding `[{"kid": "...", "secret": "..."}, ...]`:
 *                                         the first entry signs new tokens, every entry verifies
 *                                         (two during a rotation)
 *   CARD91_BUSINESS_CREDENTIALS_ID        optional; secret holding `{"apiKey": "...", "apiSecret": "..."}`
 *                                         from the Card91 business portal, to answer with X-C91-B-Token
 */
import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import * as z from 'zod';
import { mintBusinessJwt } from '../../shared/card91/business-jwt.js';
import { createAuthWebhookHandler } from './auth-webhook.js';

export { createAuthWebhookHandler } from './auth-webhook.js';
export type { AuthWebhookDependencies, AuthWebhookHandler, AuthWebhookOutcome } from './auth-webhook.js';

/** Long enough to spare Secrets Manager, short enough that a rotation reaches every instance within minutes. */
const SECRET_CACHE_SECONDS = 300;

const sdkAuthSecretsSchema = z.array(z.object({ kid: z.string().min(1), secret: z.string().min(32) })).min(1);
const businessCredentialsSchema = z.object({ apiKey: z.string().min(1), apiSecret: z.string().min(1) });

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} is not set`);
  return value;
}

async function readJsonSecret<T>(secretId: string, schema: z.ZodType<T>): Promise<T> {
  const value: unknown = await getSecret(secretId, { transform: 'json', maxAge: SECRET_CACHE_SECONDS });
  const parsed = schema.safeParse(value);
  // The secret's content must never reach a log: name the secret only.
  if (!parsed.success) throw new Error(`secret ${secretId} does not have the expected shape`);
  return parsed.data;
}

const businessCredentialsId = process.env.CARD91_BUSINESS_CREDENTIALS_ID;

export const handler = createAuthWebhookHandler({
  getSecrets: () => readJsonSecret(requiredEnv('CARD91_SDK_AUTH_SECRETS_ID'), sdkAuthSecretsSchema),
  businessTokenProvider:
    businessCredentialsId === undefined || businessCredentialsId === ''
      ? undefined
      : async () => mintBusinessJwt(await readJsonSecret(businessCredentialsId, businessCredentialsSchema)),
});

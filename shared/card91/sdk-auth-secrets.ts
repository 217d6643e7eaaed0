import { getSecret } from '../config/secrets.js';
import * as z from 'zod';
import type { SdkAuthSecret } from './sdk-auth-token.js';

/**
 * Loading of the sdkAuthToken signing secrets, shared by the card-controls worker (which mints
 * tokens) and the auth webhook (which verifies them). Only Powertools parameters and zod: the
 * webhook bundle stays free of the queue clients.
 */

/** Same cache as the other secrets: a rotation reaches every instance within five minutes. */
const SECRET_CACHE_SECONDS = 300;
/** `[{"kid", "secret"}, …]`: the first entry signs, every entry verifies (two during a rotation). */
const sdkAuthSecretsDocument = z.array(z.object({ kid: z.string().min(1), secret: z.string().min(32) })).min(1);

/** Where the secrets are named: the worker's and the webhook's environment alike. */
export interface SecretsSource {
  CARD91_SDK_AUTH_SECRETS_ID?: string | undefined;
  CARD91_SDK_AUTH_SECRETS_JSON?: string | undefined;
}

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
  // Workers refuse this at cold start (their env schema requires one of the two); the webhook answers
  // Card91 with a 500 and logs why, so a missing setting shows on the first login rather than as an init crash loop.
  if (!secretId) return () => Promise.reject(new Error('set CARD91_SDK_AUTH_SECRETS_ID or CARD91_SDK_AUTH_SECRETS_JSON'));
  return async () => secretsFrom(await getSecret(secretId, { maxAge: SECRET_CACHE_SECONDS, transform: 'json' }), `secret ${secretId}`);
}

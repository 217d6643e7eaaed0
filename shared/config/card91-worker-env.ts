import * as z from 'zod';
import { optionalNonEmpty, positiveInteger, queueWorkerShape, tenantsSource, tenantsSourceMessage } from './queue-worker-env.js';

/** A worker that calls Card91 (card controls). */
export const card91WorkerEnv = z
  .object({
    ...queueWorkerShape,
    /** Environment base URL handed out by Card91 (PRODUCTION or PROD SANDBOX). */
    CARD91_BASE_URL: z.url(),
    /** Our organisation id at Card91 (`OID…`), sent with every customer login. */
    CARD91_ORG_ID: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a Card91 org id (OID…)'),
    /** Secrets Manager secret `[{"kid": "…", "secret": "…"}, …]`: the first entry signs our sdkAuthTokens (production). */
    CARD91_SDK_AUTH_SECRETS_ID: optionalNonEmpty,
    /** The same document inline (local runs and tests only). */
    CARD91_SDK_AUTH_SECRETS_JSON: optionalNonEmpty,
    /** Per HTTP attempt to Card91 (client default: 5 s); local runs use a short one. */
    CARD91_TIMEOUT_MS: positiveInteger.optional(),
  })
  .refine(tenantsSource, tenantsSourceMessage)
  .refine((env) => Boolean(env.CARD91_SDK_AUTH_SECRETS_ID ?? env.CARD91_SDK_AUTH_SECRETS_JSON), {
    message: 'set CARD91_SDK_AUTH_SECRETS_ID (Secrets Manager) or CARD91_SDK_AUTH_SECRETS_JSON (local)',
  });
export type Card91WorkerEnv = z.infer<typeof card91WorkerEnv>;

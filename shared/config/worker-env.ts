import * as z from 'zod';

const seconds = z.coerce.number().int().positive();
const milliseconds = z.coerce.number().int().nonnegative();
/** Queue URLs as SQS returns them (local emulators build host names a strict URL parser rejects). */
const queueUrl = z.string().regex(/^https?:\/\/\S+$/, 'must be an http(s) queue URL');

/**
 * Environment of any queue worker, validated once at cold start: a missing or malformed setting
 * stops the function before it touches a message, with every problem named.
 * Secrets are never here: only the names of the parameters and secrets that hold them.
 */
const queueWorkerShape = {
  POWERTOOLS_SERVICE_NAME: z.string().min(1),
  AWS_LAMBDA_FUNCTION_NAME: z.string().min(1).default('local'),
  /** Local emulators only: SQS clients must be given the endpoint explicitly. */
  AWS_ENDPOINT_URL_SQS: z.string().optional(),
  QUEUE_URL: queueUrl,
  DLQ_URL: queueUrl,
  QUEUE_FIFO: z.enum(['true', 'false']).transform((v) => v === 'true'),
  MAX_RECEIVE_COUNT: seconds,
  IDEMPOTENCY_TABLE: z.string().min(1),
  IDEMPOTENCY_TTL_SECONDS: seconds.default(7 * 24 * 3_600),
  /** SSM parameter with the tenants document (production). */
  TENANTS_PARAMETER: z.string().min(1).optional(),
  /** The tenants document inline (local runs and tests only). */
  TENANTS_JSON: z.string().min(1).optional(),
  RETRY_BASE_DELAY_MS: milliseconds.default(200),
  RETRY_MAX_DELAY_MS: milliseconds.default(5_000),
  /** How long a valid event may keep failing for reasons a retry can fix before it is dead-lettered as Exhausted. */
  RETRY_BUDGET_SECONDS: seconds.default(86_400),
  /** Wait before the 2nd receive of a failed record; doubles per receive up to VISIBILITY_MAX_SECONDS. */
  VISIBILITY_BASE_SECONDS: seconds.default(30),
  VISIBILITY_MAX_SECONDS: seconds.default(900),
  /** An open circuit's first trial call comes after this; each failed trial doubles it up to CIRCUIT_TRIAL_CAP_SECONDS. */
  CIRCUIT_FIRST_TRIAL_SECONDS: seconds.default(5),
  CIRCUIT_TRIAL_CAP_SECONDS: seconds.default(300),
  /** Time kept back from the Lambda deadline for settling records (DLQ sends, visibility changes). */
  DEADLINE_MARGIN_MS: milliseconds.default(3_000),
};

const tenantsSource = (env: { TENANTS_PARAMETER?: string; TENANTS_JSON?: string }) => Boolean(env.TENANTS_PARAMETER ?? env.TENANTS_JSON);
const tenantsSourceMessage = { message: 'set TENANTS_PARAMETER (SSM) or TENANTS_JSON (local)' };

export const queueWorkerEnv = z.object(queueWorkerShape).refine(tenantsSource, tenantsSourceMessage);
export type QueueWorkerEnv = z.infer<typeof queueWorkerEnv>;

/** A worker that calls DCMS and keeps the kit ledger. */
export const dcmsWorkerEnv = z
  .object({
    ...queueWorkerShape,
    STATE_TABLE: z.string().min(1),
    DCMS_BASE_URL: z.url(),
    /** Secrets Manager secret `{ "<TENANT>": { "username": "…", "password": "…" } }`; absent = no bearer auth. */
    DCMS_CREDENTIALS_SECRET: z.string().min(1).optional(),
    /** Caps every DCMS call timeout (defaults follow the reference: 5/10/15 s); local runs use a short one. */
    DCMS_TIMEOUT_MS: milliseconds.optional(),
    /**
     * After a write whose outcome is unknown, nothing is sent again until this long after that send
     * (and a read then still shows nothing): at least the longest DCMS may take to commit a request it received.
     */
    SETTLE_WINDOW_SECONDS: seconds.default(120),
    /** Which lane of the tenant's DCMS budget this worker draws from: real-time events, or a bulk load that must leave room for them. */
    DCMS_LANE: z.enum(['realtime', 'bulk']).default('realtime'),
    /** Share of the tenant's budget the bulk lane may use (the rest is kept for real-time calls). */
    DCMS_BULK_SHARE: z.coerce.number().gt(0).lte(1).default(0.8),
  })
  .refine(tenantsSource, tenantsSourceMessage);
export type DcmsWorkerEnv = z.infer<typeof dcmsWorkerEnv>;

/** A worker that calls Card91 (card controls). */
export const card91WorkerEnv = z
  .object({
    ...queueWorkerShape,
    /** Environment base URL handed out by Card91 (PRODUCTION or PROD SANDBOX). */
    CARD91_BASE_URL: z.url(),
    /** Our organisation id at Card91 (`OID…`), sent with every customer login. */
    CARD91_ORG_ID: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a Card91 org id (OID…)'),
    /** Secrets Manager secret `[{"kid": "…", "secret": "…"}, …]`: the first entry signs our sdkAuthTokens (production). */
    CARD91_SDK_AUTH_SECRETS_ID: z.string().min(1).optional(),
    /** The same document inline (local runs and tests only). */
    CARD91_SDK_AUTH_SECRETS_JSON: z.string().min(1).optional(),
    /** Per HTTP attempt to Card91 (client default: 5 s); local runs use a short one. */
    CARD91_TIMEOUT_MS: z.coerce.number().int().positive().optional(),
  })
  .refine(tenantsSource, tenantsSourceMessage)
  .refine((env) => Boolean(env.CARD91_SDK_AUTH_SECRETS_ID ?? env.CARD91_SDK_AUTH_SECRETS_JSON), {
    message: 'set CARD91_SDK_AUTH_SECRETS_ID (Secrets Manager) or CARD91_SDK_AUTH_SECRETS_JSON (local)',
  });
export type Card91WorkerEnv = z.infer<typeof card91WorkerEnv>;

/** Parses the environment, or throws one error listing every bad variable (never their values). */
export function loadEnv<S extends z.ZodType>(schema: S, source: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'env'}: ${i.message}`).join('; ');
    throw new Error(`invalid worker configuration: ${problems}`);
  }
  return parsed.data;
}

import * as z from 'zod';

/*
 * What every queue worker's environment holds, and how it is read. Each worker kind declares its
 * own schema in a module of its own (dcms-worker-env.ts, card91-worker-env.ts), so a function
 * builds only the one it validates at cold start; worker-env.ts gathers them for the infrastructure.
 * Fields that validate alike share one schema instance: zod schemas are immutable, and every
 * instance is work at cold start.
 */

/** A count, or a duration in whole seconds (or milliseconds where the name says so), above zero. */
export const positiveInteger = z.coerce.number().int().positive();
export const milliseconds = z.coerce.number().int().nonnegative();
export const nonEmpty = z.string().min(1);
export const optionalNonEmpty = nonEmpty.optional();
/** Queue URLs as SQS returns them (local emulators build host names a strict URL parser rejects). */
const queueUrl = z.string().regex(/^https?:\/\/\S+$/, 'must be an http(s) queue URL');

/**
 * Environment of any queue worker, validated once at cold start: a missing or malformed setting
 * stops the function before it touches a message, with every problem named.
 * Secrets are never here: only the names of the parameters and secrets that hold them.
 */
export const queueWorkerShape = {
  POWERTOOLS_SERVICE_NAME: nonEmpty,
  AWS_LAMBDA_FUNCTION_NAME: nonEmpty.default('local'),
  /** Local emulators only: SQS clients must be given the endpoint explicitly. */
  AWS_ENDPOINT_URL_SQS: z.string().optional(),
  QUEUE_URL: queueUrl,
  DLQ_URL: queueUrl,
  QUEUE_FIFO: z.enum(['true', 'false']).transform((v) => v === 'true'),
  MAX_RECEIVE_COUNT: positiveInteger,
  IDEMPOTENCY_TABLE: nonEmpty,
  IDEMPOTENCY_TTL_SECONDS: positiveInteger.default(7 * 24 * 3_600),
  /** SSM parameter with the tenants document (production). */
  TENANTS_PARAMETER: optionalNonEmpty,
  /** The tenants document inline (local runs and tests only). */
  TENANTS_JSON: optionalNonEmpty,
  RETRY_BASE_DELAY_MS: milliseconds.default(200),
  RETRY_MAX_DELAY_MS: milliseconds.default(5_000),
  /** How long a valid event may keep failing for reasons a retry can fix before it is dead-lettered as Exhausted. */
  RETRY_BUDGET_SECONDS: positiveInteger.default(86_400),
  /** The budget of a record waiting on a dependency (CUS001), when it differs from RETRY_BUDGET_SECONDS. */
  DEPENDENCY_RETRY_BUDGET_SECONDS: positiveInteger.optional(),
  /** Wait after a record's first failed attempt; doubles per attempt (its own history) up to VISIBILITY_MAX_SECONDS. */
  VISIBILITY_BASE_SECONDS: positiveInteger.default(30),
  VISIBILITY_MAX_SECONDS: positiveInteger.default(900),
  /** An open circuit's first trial call comes after this; each failed trial doubles it up to CIRCUIT_TRIAL_CAP_SECONDS. */
  CIRCUIT_FIRST_TRIAL_SECONDS: positiveInteger.default(5),
  CIRCUIT_TRIAL_CAP_SECONDS: positiveInteger.default(300),
  /** Time kept back from the Lambda deadline for settling records (DLQ sends, visibility changes). */
  DEADLINE_MARGIN_MS: milliseconds.default(3_000),
};

export const tenantsSource = (env: { TENANTS_PARAMETER?: string | undefined; TENANTS_JSON?: string | undefined }) => Boolean(env.TENANTS_PARAMETER ?? env.TENANTS_JSON);
export const tenantsSourceMessage = { message: 'set TENANTS_PARAMETER (SSM) or TENANTS_JSON (local)' };

/**
 * Parses the environment, or throws one error listing every bad variable (never their values).
 * Read once per instance: zod's compiled fast path for objects would cost more to build than it saves.
 */
export function loadEnv<S extends z.ZodType>(schema: S, source: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const parsed = schema.safeParse(source, { jitless: true });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'env'}: ${i.message}`).join('; ');
    throw new Error(`invalid worker configuration: ${problems}`);
  }
  return parsed.data;
}

import * as z from 'zod';
import { rfc3339 } from '../../shared/contracts/envelope.js';

const positiveInt = z.coerce.number().int().positive();
/** Queue URLs as SQS returns them (local emulators build host names a strict URL parser rejects). */
const queueUrl = z.string().regex(/^https?:\/\/\S+$/, 'must be an http(s) queue URL');

/**
 * Environment of the courier webhook, validated once at cold start: a bad setting stops the
 * function before it answers anyone, with every problem named. Only the names of the parameter
 * and secrets live here, never their values.
 */
export const webhookEnv = z
  .object({
    POWERTOOLS_SERVICE_NAME: z.string().min(1).default('courier-webhook'),
    /** The courier-events queue (standard) the accepted events go to. */
    COURIER_QUEUE_URL: queueUrl,
    /** The webhook-replay table (`id` key, `expiresAt` TTL). */
    REPLAY_TABLE: z.string().min(1),
    /** The integration-state table: the AWB index of couriers whose scans may name a kit by its waybill only. */
    STATE_TABLE: z.string().min(1),
    /** SSM parameter with the couriers document (production). */
    COURIERS_PARAMETER: z.string().min(1).optional(),
    /** The couriers document inline (local runs and tests only). */
    COURIERS_JSON: z.string().min(1).optional(),
    /**
     * Local runs only: `{ "<secretId>": { "current": "…", "previous": "…" } }` standing in for
     * Secrets Manager. Never set in a deployed function.
     */
    COURIER_SECRETS_JSON: z.string().min(1).optional(),
    /** Largest body accepted, in bytes (after base64 decoding). */
    MAX_BODY_BYTES: positiveInt.default(256 * 1_024),
    /** Most events one request may carry. */
    MAX_EVENTS_PER_REQUEST: positiveInt.max(1_000).default(500),
    /** How far a signature timestamp may be from our clock, either way. */
    SIGNATURE_TOLERANCE_SECONDS: positiveInt.max(900).default(300),
    /** How far ahead of our clock a scan's time may be (a courier's clock drifts; it does not see the future). */
    MAX_FUTURE_SECONDS: positiveInt.max(86_400).default(600),
    /** Scans dated before this are refused: no kit of ours was shipped before it. */
    EARLIEST_OCCURRED_AT: rfc3339.default('2020-01-01T00:00:00Z'),
    /** Set by the Lambda runtime itself: tells a deployed function from a local run. */
    AWS_EXECUTION_ENV: z.string().optional(),
  })
  .refine((env) => env.COURIERS_PARAMETER ?? env.COURIERS_JSON, { message: 'set COURIERS_PARAMETER (SSM) or COURIERS_JSON (local)' })
  .refine((env) => !(env.COURIER_SECRETS_JSON && env.AWS_EXECUTION_ENV), {
    path: ['COURIER_SECRETS_JSON'],
    message: 'signing keys in a plain environment variable are refused in Lambda; use Secrets Manager',
  });
export type WebhookEnv = z.infer<typeof webhookEnv>;

/**
 * Parses the environment, or throws one error listing every bad variable (never their values).
 * Read once per instance: zod's compiled fast path for objects would cost more to build than it saves.
 */
export function loadWebhookEnv(source: NodeJS.ProcessEnv = process.env): WebhookEnv {
  const parsed = webhookEnv.safeParse(source, { jitless: true });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'env'}: ${i.message}`).join('; ');
    throw new Error(`invalid courier-webhook configuration: ${problems}`);
  }
  return parsed.data;
}

import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import * as z from 'zod';
import { courierSettings } from '../../functions/courier-webhook/couriers.js';
import { tenantsDocument } from '../../shared/config/tenants.js';
import { card91WorkerEnv } from '../../shared/config/worker-env.js';
import { EVENT_SOURCE_CONCURRENCY } from './dcms-concurrency.js';

/** The one context key holding this app's settings (cdk.json, or `-c card-issuance=…` to override). */
export const CONTEXT_KEY = 'card-issuance';

const retentionDays = z
  .number()
  .refine((days) => (Object.values(RetentionDays) as unknown[]).includes(days), 'logRetentionDays must be a CloudWatch Logs retention value (30, 365, …)');

/**
 * Settings of one stage. Everything that differs between dev and prod, or between banks, is here
 * and nowhere in code: the stacks only read it.
 */
export const stageSettings = z.object({
  /** Pins the stage to an account and region; omitted, it deploys where the pipeline runs. */
  account: z.string().regex(/^\d{12}$/).optional(),
  region: z.string().min(1).optional(),
  /** Prefix of every physical name (queues, tables, functions, secrets), as the local stack uses it. */
  resourcePrefix: z.string().regex(/^[a-z][a-z0-9-]{1,30}$/),
  /** Keeps tables, queues, secrets, logs and the key on stack deletion; turns on table deletion protection. */
  retainData: z.boolean(),
  logLevel: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']),
  /** Share of invocations logged at DEBUG whatever the level (Powertools sampling). */
  loggerSampleRate: z.number().min(0).max(1),
  logRetentionDays: retentionDays,
  dcms: z.object({
    baseUrl: z.url({ protocol: /^https$/ }),
    /** Fastest DCMS answer we plan for; it bounds the calls per second of one instance (see dcms-concurrency.ts). */
    minLatencyMs: z.number().int().positive(),
  }),
  card91: z.object({
    /** Base URL Card91 handed out for this environment (PROD SANDBOX or PRODUCTION). */
    baseUrl: z.url({ protocol: /^https$/ }),
    orgId: card91WorkerEnv.shape.CARD91_ORG_ID,
    /** Card91 publishes no rate limit (429 "in a short window"): a fixed ceiling on the card-controls fleet. */
    maxConcurrency: z.number().int().min(EVENT_SOURCE_CONCURRENCY.min).max(EVENT_SOURCE_CONCURRENCY.max),
  }),
  /** Stage-wide API Gateway throttling of the webhooks (requests per second, bucket size). */
  webhooks: z.object({ rateLimit: z.number().positive(), burstLimit: z.number().int().positive() }),
  /** The tenants document the workers read from SSM, validated by the workers' own schema. */
  tenants: tenantsDocument,
  /**
   * The courier integrations the webhook reads from SSM, by the webhook's own schema. The stack
   * creates each one's HMAC secret and fills in `secretId`.
   */
  couriers: z
    .array(courierSettings.omit({ secretId: true }))
    .min(1)
    .refine((list) => new Set(list.map((c) => c.courier)).size === list.length, 'courier names must be unique'),
});
export type StageSettings = z.infer<typeof stageSettings>;

export const appSettings = z.object({
  pipeline: z.object({
    /** CodeConnections (CodeStar) connection to the repository host. */
    connectionArn: z.string().regex(/^arn:aws[a-z-]*:(codestar-connections|codeconnections):/, 'must be a CodeConnections connection ARN'),
    repository: z.string().regex(/^[^/\s]+\/[^/\s]+$/, 'must be owner/name'),
    branch: z.string().min(1),
  }),
  stages: z.object({ dev: stageSettings, prod: stageSettings }),
});
export type AppSettings = z.infer<typeof appSettings>;

/** Reads and validates the app's context; a bad setting fails synth with every problem named. */
export function loadAppSettings(scope: Construct): AppSettings {
  const parsed = appSettings.safeParse(scope.node.tryGetContext(CONTEXT_KEY));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || CONTEXT_KEY}: ${i.message}`).join('; ');
    throw new Error(`invalid "${CONTEXT_KEY}" context: ${problems}`);
  }
  return parsed.data;
}

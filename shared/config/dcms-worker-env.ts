import * as z from 'zod';
import { milliseconds, nonEmpty, optionalNonEmpty, positiveInteger, queueWorkerShape, tenantsSource, tenantsSourceMessage } from './queue-worker-env.js';

/** A worker that calls DCMS and keeps the kit ledger. */
export const dcmsWorkerEnv = z
  .object({
    ...queueWorkerShape,
    STATE_TABLE: nonEmpty,
    DCMS_BASE_URL: z.url(),
    /** Secrets Manager secret `{ "<TENANT>": { "username": "…", "password": "…" } }`; absent = no bearer auth. */
    DCMS_CREDENTIALS_SECRET: optionalNonEmpty,
    /** Caps every DCMS call timeout (defaults follow the reference: 5/10/15 s); local runs use a short one. */
    DCMS_TIMEOUT_MS: milliseconds.optional(),
    /**
     * After a write whose outcome is unknown, nothing is sent again until this long after that send
     * (and a read then still shows nothing): at least the longest DCMS may take to commit a request it received.
     * Counted from the send's deadline (the marker) to the start of the read: local/model (npm run model)
     * shows it must exceed DCMS's longest commit (60 s) + twice the clock skew (±2 s): 120 s > 64 s.
     */
    SETTLE_WINDOW_SECONDS: positiveInteger.default(120),
    /** Which lane of the tenant's DCMS budget this worker draws from: real-time events, or a bulk load that must leave room for them. */
    DCMS_LANE: z.enum(['realtime', 'bulk']).default('realtime'),
    /** Share of the tenant's budget the bulk lane may use (the rest is kept for real-time calls). */
    DCMS_BULK_SHARE: z.coerce.number().gt(0).lte(1).default(0.8),
  })
  .refine(tenantsSource, tenantsSourceMessage);
export type DcmsWorkerEnv = z.infer<typeof dcmsWorkerEnv>;

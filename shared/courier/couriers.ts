import { getParameter } from '../config/ssm-parameters.js';
import * as z from 'zod';
import { deliveryStatus } from '../contracts/courier-kit-status.js';
import { tenantName } from '../contracts/envelope.js';
import { courierAuth } from './auth-settings.js';

/** Cached for five minutes per instance: a new courier or code is live without a deploy. */
const MAX_AGE_SECONDS = 300;

/** The body mappers (mapping/): our own format and each courier's published push format. */
export const courierFormat = z.enum(['generic', 'bluedart', 'delhivery', 'shiprocket']);
export type CourierFormat = z.infer<typeof courierFormat>;

/**
 * How a scan names its kit. `reference`: our kit number, which the bank gives the courier as its
 * reference at booking (Blue Dart `RefNo`, Delhivery `ReferenceNo`, Shiprocket `order_id`, generic
 * `kitNo`); a scan without one is refused. `referenceOrAwb`: the reference when the scan has one,
 * otherwise the waybill (AWB) learnt from an earlier scan of this integration that carried both
 * (shared/persistence/awb-index.ts).
 */
export const kitLookup = z.enum(['reference', 'referenceOrAwb']);
export type KitLookup = z.infer<typeof kitLookup>;

/**
 * One courier integration, i.e. one `{courier}` path segment. A courier that ships for two banks
 * has two integrations (`bluedart`, `bluedart-globex`), each with its own tenant and secret, so a
 * courier can never post events into another bank's tenant. The same schema reads cdk.json's
 * `couriers` (through infra/config/app-config.ts) and the local stack's couriers.
 */
export const courierSettings = z.object({
  courier: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'courier must be 1 to 64 lower-case letters, digits or -'),
  /** The DCMS tenant every event of this integration belongs to: never taken from the payload. */
  tenant: tenantName,
  format: courierFormat,
  /**
   * Secrets Manager secret `{ "current": "…", "previous": "…" }`: the HMAC keys, or the tokens of a
   * token integration. Both values are valid while a rotation is under way.
   */
  secretId: z.string().min(1),
  /** How the courier proves who it is; HMAC unless a weaker mode is chosen with its reason. */
  auth: courierAuth.default({ mode: 'hmac' }),
  kitLookup: kitLookup.default('reference'),
  /** Offset of the courier's clock, for scan times that carry none (Indian couriers: +05:30). */
  utcOffset: z
    .string()
    .regex(/^[+-](0\d|1[0-4]):[0-5]\d$/, 'utcOffset must look like +05:30')
    .default('+05:30'),
  /**
   * Courier codes agreed with this bank beyond the built-in table of the format (they win over it),
   * e.g. `{ "RT/BRC": "BANK" }`. How an unmapped code is fixed without a deploy.
   */
  statusCodes: z.record(z.string().min(1), deliveryStatus).default({}),
  /** Per-instance ceiling; API Gateway throttling is the fleet-wide one. */
  rateLimit: z.object({ perSecond: z.number().positive(), burst: z.number().int().positive() }).default({ perSecond: 20, burst: 40 }),
});
export type CourierSettings = z.infer<typeof courierSettings>;
/** As written in the couriers document (defaults not applied yet). */
export type CourierSettingsInput = z.input<typeof courierSettings>;

export const couriersDocument = z
  .array(courierSettings)
  .min(1)
  .refine((list) => new Set(list.map((c) => c.courier)).size === list.length, 'courier names must be unique');

export type CourierDirectory = ReadonlyMap<string, CourierSettings>;

const toDirectory = (raw: unknown): CourierDirectory => new Map(couriersDocument.parse(raw).map((c) => [c.courier, c]));

/**
 * The couriers from SSM (production) or the inline document (local). Powertools hands back the
 * same cached value until it expires, so the document is validated once per fetch, not per request.
 */
export function courierDirectoryLoader(source: { COURIERS_PARAMETER?: string; COURIERS_JSON?: string }): () => Promise<CourierDirectory> {
  if (source.COURIERS_JSON) {
    const directory = toDirectory(JSON.parse(source.COURIERS_JSON));
    return async () => directory;
  }
  const parameter = source.COURIERS_PARAMETER!;
  let last: { raw: unknown; directory: CourierDirectory } | undefined;
  return async () => {
    const raw = await getParameter(parameter, { maxAge: MAX_AGE_SECONDS, transform: 'json' });
    if (last === undefined || last.raw !== raw) last = { raw, directory: toDirectory(raw) };
    return last.directory;
  };
}

import * as z from 'zod';

/** RFC 3339 date-time with an explicit offset (`Z` or `±hh:mm`), as CloudEvents `time` requires. */
export const rfc3339 = z.iso.datetime({ offset: true });

/** DCMS tenant names: upper-case identifiers such as `ACME_BANK`. */
export const tenantName = z.string().regex(/^[A-Z][A-Z0-9_]{1,63}$/, 'tenant must be an upper-case DCMS tenant name such as ACME_BANK');

/**
 * CloudEvents 1.0 JSON envelope with the `tenant` extension attribute (the DCMS tenant).
 * Extension attributes other than `tenant` are allowed, as the spec requires.
 */
export const cloudEventEnvelope = z.looseObject({
  specversion: z.literal('1.0'),
  id: z.string().min(1).max(256),
  source: z.string().min(1),
  type: z.string().min(1),
  time: rfc3339,
  tenant: tenantName,
  datacontenttype: z.literal('application/json').optional(),
  subject: z.string().optional(),
  data: z.unknown(),
});
export type CloudEventEnvelope = z.infer<typeof cloudEventEnvelope>;

/** Builds the schema of one event type: the envelope with a fixed `type` and typed `data`. */
export const cloudEvent = <Type extends string, Data extends z.ZodType>(type: Type, data: Data) =>
  cloudEventEnvelope.extend({ type: z.literal(type), data });

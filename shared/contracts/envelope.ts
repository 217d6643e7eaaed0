import * as z from 'zod';
import {
  boundedPattern,
  boundedString,
  EVENT_ID_MAX,
  EVENT_SOURCE_MAX,
  EVENT_SUBJECT_MAX,
  EVENT_TYPE_MAX,
  EXTENSION_ATTRIBUTE_MAX,
  TENANT_MAX,
  TIMESTAMP_MAX,
} from './limits.js';

/** RFC 3339 date-time with an explicit offset (`Z` or `±hh:mm`), as CloudEvents `time` requires. */
export const rfc3339 = z.iso.datetime({ offset: true }).max(TIMESTAMP_MAX, `at most ${TIMESTAMP_MAX} characters`);

/** DCMS tenant names: upper-case identifiers such as `ACME_BANK`. */
export const tenantName = boundedPattern(TENANT_MAX, /^[A-Z][A-Z0-9_]{1,63}$/, 'tenant must be an upper-case DCMS tenant name such as ACME_BANK');

/**
 * Extension attributes other than `tenant` are allowed, as the spec requires, with the values the
 * CloudEvents JSON format gives them (string, number, boolean or null), strings bounded.
 * Typed `unknown`: an index signature of scalars would clash with the typed `data` of every event.
 */
const extensionAttribute: z.ZodType<unknown> = z.union([boundedString(EXTENSION_ATTRIBUTE_MAX), z.number(), z.boolean(), z.null()]);

/** CloudEvents 1.0 JSON envelope with the `tenant` extension attribute (the DCMS tenant). */
export const cloudEventEnvelope = z
  .object({
    specversion: z.literal('1.0'),
    id: boundedString(EVENT_ID_MAX).min(1),
    source: boundedString(EVENT_SOURCE_MAX).min(1),
    type: boundedString(EVENT_TYPE_MAX).min(1),
    time: rfc3339,
    tenant: tenantName,
    datacontenttype: z.literal('application/json').optional(),
    subject: boundedString(EVENT_SUBJECT_MAX).optional(),
    data: z.unknown(),
  })
  .catchall(extensionAttribute);
export type CloudEventEnvelope = z.infer<typeof cloudEventEnvelope>;

/** Builds the schema of one event type: the envelope with a fixed `type` and typed `data`. */
export const cloudEvent = <Type extends string, Data extends z.ZodType>(type: Type, data: Data) =>
  cloudEventEnvelope.extend({ type: z.literal(type), data });

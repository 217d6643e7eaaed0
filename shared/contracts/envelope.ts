import * as z from 'zod';
import {
  boundedPattern,
  boundedString,
  DATA_CONTENT_TYPE_MAX,
  EVENT_ID_MAX,
  EVENT_SOURCE_MAX,
  EVENT_SUBJECT_MAX,
  EVENT_TYPE_MAX,
  EXTENSION_ATTRIBUTE_MAX,
  TENANT_MAX,
  TIMESTAMP_MAX,
} from './limits.js';

const RFC3339_MESSAGE = 'must be an RFC 3339 date-time with seconds and an offset (Z or ±hh:mm)';
/** Upper-case `T` and `Z` only: checked on the upper-cased text, which is also what is kept. */
const upperCaseInstant = z.iso.datetime({ offset: true });

/**
 * RFC 3339 date-time with seconds and an explicit offset (`Z` or any `±hh:mm`), as CloudEvents
 * `time` requires. RFC 3339 §5.6 lets `T` and `Z` be written in lower case (`2026-12-06t01:00:00z`);
 * they are kept upper-cased, so every later reader (Date.parse, comparisons) sees one form.
 */
export const rfc3339 = z
  .string()
  .max(TIMESTAMP_MAX, { message: `at most ${TIMESTAMP_MAX} characters`, abort: true })
  // One issue per bad time: the calendar check below runs only on the right shape.
  .regex(/^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/, { message: RFC3339_MESSAGE, abort: true })
  .refine((time) => upperCaseInstant.safeParse(time.toUpperCase()).success, RFC3339_MESSAGE)
  .transform((time) => time.toUpperCase())
  .meta({ format: 'date-time' });

/**
 * Event ids double as SQS FIFO deduplication ids (the producer sends the event id as its
 * MessageDeduplicationId), so they follow SQS's rule: 1 to 128 characters, letters, digits and
 * ASCII punctuation, no space. A UUID, a ULID or `cbs-2026-000123` all fit.
 */
export const eventId = boundedPattern(EVENT_ID_MAX, /^[\x21-\x7E]+$/, 'id must be letters, digits or ASCII punctuation (no spaces): it is the SQS deduplication id');

/** A word in any case, as a pattern JSON Schema can carry too (its patterns take no `i` flag). */
const anyCase = (word: string): string => [...word].map((c) => (/[a-z]/.test(c) ? `[${c}${c.toUpperCase()}]` : c)).join('');

/**
 * `application/json` or any `+json` media type (CloudEvents' JSON format reads `data` as JSON for
 * both), in any case (media types are case-insensitive), with or without parameters such as
 * `; charset=utf-8`.
 */
const jsonContentType = boundedPattern(
  DATA_CONTENT_TYPE_MAX,
  new RegExp(`^${anyCase('application')}/([A-Za-z0-9!#$&^_.-]+\\+)?${anyCase('json')}[ \\t]*(;.*)?$`),
  'datacontenttype must be application/json (parameters allowed) or a +json media type',
);

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
    id: eventId,
    source: boundedString(EVENT_SOURCE_MAX).min(1),
    type: boundedString(EVENT_TYPE_MAX).min(1),
    time: rfc3339,
    tenant: tenantName,
    datacontenttype: jsonContentType.optional(),
    subject: boundedString(EVENT_SUBJECT_MAX).optional(),
    data: z.unknown(),
  })
  .catchall(extensionAttribute);
export type CloudEventEnvelope = z.infer<typeof cloudEventEnvelope>;

/** Builds the schema of one event type: the envelope with a fixed `type` and typed `data`. */
export const cloudEvent = <Type extends string, Data extends z.ZodType>(type: Type, data: Data) => cloudEventEnvelope.extend({ type: z.literal(type), data });

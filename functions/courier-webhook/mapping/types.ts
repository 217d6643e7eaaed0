import * as z from 'zod';
import type { DeliveryStatus } from '../../../shared/contracts/index.js';

/** One bad field of a request: where (`events[0].kitNo`) and what is wrong, never its value. */
export interface FieldIssue {
  path: string;
  message: string;
}

/** One courier scan read from a native payload, before its code is mapped and its kit found. */
export interface CourierScan {
  /** Our kit number as the courier's reference field holds it, when the scan has one. */
  reference?: string;
  awb?: string;
  /** The courier's own code, the form named in a 422 (Blue Dart: `ScanType/ScanCode`). */
  code: string;
  /** Keys to look the code up by, most specific first. */
  lookup: readonly string[];
  /** A return leg (Shiprocket `is_return`): the kit is going back, whatever the leg's own status says. */
  returnLeg?: boolean;
  /** RFC 3339 with an offset, exactly as it will appear in the event. */
  occurredAt: string;
  location?: string;
  remarks?: string;
  /** Where the reference and the time are in the body, to name them in a 400. */
  paths: { reference: string; occurredAt: string };
}

export type ScanParseResult = { ok: true; scans: CourierScan[] } | { ok: false; issues: FieldIssue[] };

/** A courier's native format: its body parser and the code table built in for it. */
export interface NativeFormat {
  parse(json: unknown, options: { utcOffset: string }): ScanParseResult;
  /** A Map, not an object: a code named `constructor` or `__proto__` finds nothing. */
  statusCodes: ReadonlyMap<string, DeliveryStatus>;
}

/** `events[0].kitNo`: the path notation of a 400's issues. */
export function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  return path.reduce<string>((text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)), '');
}

/** Zod issues as field issues; capped so a huge bad batch cannot produce a huge answer. */
export function fieldIssues(error: z.ZodError, limit = 50): FieldIssue[] {
  return error.issues.slice(0, limit).map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
}

/**
 * Characters an SQS message body may not hold (it allows #x9, #xA, #xD, #x20-#xD7FF, #xE000-#xFFFD
 * and #x10000-#x10FFFF): other control characters, U+FFFE/U+FFFF and lone surrogates.
 */
const NOT_QUEUEABLE = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/**
 * Descriptive free text (a location, a scan description): characters SQS refuses are dropped, and
 * the text is cut to the contract's length rather than refusing a genuine scan for a long description.
 */
export const freeText = (max: number) =>
  z
    .string()
    .transform((text) => text.replace(NOT_QUEUEABLE, '').trim().slice(0, max))
    .transform((text) => text || undefined);

/** Optional free text; couriers send `null` or `""` for an empty field. */
export const optionalFreeText = (max: number) =>
  freeText(max)
    .nullish()
    .transform((text) => text ?? undefined);

/** A code or number the courier sends as a string or a number (`ScanCode` `"000"` or `9`): kept as text. */
export const codeText = (max: number) => z.union([z.string(), z.number()]).transform(String).pipe(z.string().trim().min(1).max(max));

/** A waybill: letters, digits and `-` (safe to queue, to log and to key a table by). */
export const awbText = z
  .union([z.string(), z.number().int().nonnegative()])
  .transform((value) => String(value).trim())
  .pipe(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,63}$/, 'must be a waybill number (letters, digits and -)'));

/**
 * The courier's reference field (our kit number at booking): absent, `null` or `""` when the scan
 * has none. Whether it is a kit number is checked with the integration's kit lookup (mapping/index.ts).
 */
export const referenceText = z
  .union([z.string(), z.number().int().nonnegative()])
  .nullish()
  .transform((value) => (value === null || value === undefined ? undefined : String(value).trim() || undefined));

/** A JSON array, or one object where the array would hold a single item (XML-to-JSON conversions do that). */
export const oneOrMany = <Item extends z.ZodType>(item: Item) => z.preprocess((value) => (value === undefined || value === null || Array.isArray(value) ? value : [value]), z.array(item).min(1));

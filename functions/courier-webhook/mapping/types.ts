import * as z from 'zod';
import type { DeliveryStatus } from '../../../shared/contracts/index.js';

/** One bad field of a request: where (`events[0].kitNo`) and what is wrong, never its value. */
export interface FieldIssue {
  path: string;
  message: string;
}

/** One courier scan read from a native payload, before its code is mapped to a delivery status. */
export interface CourierScan {
  kitNo: string;
  /** The courier's own code, the form named in a 422 (Blue Dart: `scanType/scanCode`). */
  code: string;
  /** Keys to look the code up by, most specific first. */
  lookup: readonly string[];
  /** RFC 3339 with an offset, exactly as it will appear in the event. */
  occurredAt: string;
  awb?: string;
  location?: string;
  remarks?: string;
}

export type ScanParseResult = { ok: true; scans: CourierScan[] } | { ok: false; issues: FieldIssue[] };

/** A courier's native format: its body parser and the code table built in for it. */
export interface NativeFormat {
  parse(json: unknown, options: { utcOffset: string }): ScanParseResult;
  statusCodes: Readonly<Record<string, DeliveryStatus>>;
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
 * Descriptive free text (a location, a scan description): cut to the contract's length rather
 * than refusing a genuine scan because a courier's description is long.
 */
export const freeText = (max: number) =>
  z
    .string()
    .trim()
    .transform((text) => text.slice(0, max));

/**
 * DCMS sends and expects `accountNo` as a JSON number, but bank account numbers reach 17 digits,
 * past Number.MAX_SAFE_INTEGER: `JSON.parse` would silently corrupt them. We keep account numbers
 * as digit strings everywhere in our code and convert only at the wire, using the source text of
 * the number (JSON.parse reviver context, Node >= 21) and raw JSON output (JSON.rawJSON).
 */

const DIGITS = /^\d{1,32}$/;

/** Keys whose numeric values must never pass through a binary float. */
const EXACT_NUMBER_KEYS = new Set(['accountNo']);

type ReviverContext = { source?: string };
type RawJson = { rawJSON: (text: string) => unknown; isRawJSON: (value: unknown) => boolean };
const rawJson = JSON as unknown as RawJson;

/** Parses a DCMS body; `accountNo` numbers come back as their exact digit strings. */
export function parseDcmsJson(text: string): unknown {
  return JSON.parse(text, function reviver(this: unknown, key: string, value: unknown, context?: ReviverContext) {
    if (EXACT_NUMBER_KEYS.has(key) && typeof value === 'number' && context?.source !== undefined) {
      return context.source;
    }
    return value;
  } as Parameters<typeof JSON.parse>[1]);
}

/** Serialises a DCMS body; digit-string `accountNo` values are written as JSON numbers, exactly. */
export function stringifyDcmsJson(body: unknown): string {
  return JSON.stringify(body, (key, value: unknown) => {
    if (EXACT_NUMBER_KEYS.has(key) && typeof value === 'string' && DIGITS.test(value)) {
      return rawJson.rawJSON(value.replace(/^0+(?=\d)/, ''));
    }
    return value;
  });
}

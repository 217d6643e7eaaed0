/**
 * JSON whose numbers must not pass through a binary float. Both platforms put money and long
 * identifiers in JSON numbers (DCMS `accountNo` reaches 17 digits, past Number.MAX_SAFE_INTEGER;
 * Card91 amounts such as `12.00` carry a scale that a float drops), and `JSON.parse` would silently
 * change them. The reader keeps the source text of every number under the given keys (JSON.parse
 * source-text access, Node >= 21); the writer emits numeral strings as JSON numbers, digit for digit
 * (JSON.rawJSON). Each client names its own keys (shared/dcms/json-codec.ts, shared/card91/json-codec.ts).
 */

type ReviverContext = { source?: string };
type Reviver = (this: unknown, key: string, value: unknown, context?: ReviverContext) => unknown;
type RawJson = { rawJSON: (text: string) => unknown };
const rawJson = JSON as unknown as RawJson;

/** A decimal numeral as JSON writes numbers: optional sign, digits, optional fraction; no exponent. */
const NUMERAL = /^-?\d{1,32}(\.\d{1,32})?$/;

/** Parses `text`; numbers under `keys` come back as their exact source text. Throws SyntaxError. */
export function parseWithExactNumbers(text: string, keys: ReadonlySet<string>): unknown {
  const keepSourceText: Reviver = (key, value, context) => (keys.has(key) && typeof value === 'number' && context?.source !== undefined ? context.source : value);
  return JSON.parse(text, keepSourceText as Parameters<typeof JSON.parse>[1]);
}

/**
 * A value that JSON.stringify writes as the given number literal, digit for digit. The caller
 * guarantees `numberText` is a valid JSON number (canonical decimals from card91/money.ts are).
 */
export const exactJsonNumber = (numberText: string): unknown => rawJson.rawJSON(numberText);

/**
 * Serialises `value`; numeral strings under `keys` are written as JSON numbers, exactly, with
 * leading zeros of the integer part dropped (JSON forbids them, and one account has one number).
 * Other strings under those keys stay strings.
 */
export function stringifyWithExactNumbers(value: unknown, keys: ReadonlySet<string>): string {
  return JSON.stringify(value, (key, field: unknown) => (keys.has(key) && typeof field === 'string' && NUMERAL.test(field) ? exactJsonNumber(field.replace(/^(-?)0+(?=\d)/, '$1')) : field));
}

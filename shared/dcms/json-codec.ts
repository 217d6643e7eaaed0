/**
 * DCMS sends and expects `accountNo` as a JSON number, but bank account numbers reach 17 digits,
 * past Number.MAX_SAFE_INTEGER: `JSON.parse` would silently corrupt them. We keep account numbers
 * as digit strings everywhere in our code and convert only at the wire (shared/json/exact-numbers.ts).
 */
import { parseWithExactNumbers, stringifyWithExactNumbers } from '../json/exact-numbers.js';

/** Keys whose numeric values must never pass through a binary float. */
const EXACT_NUMBER_KEYS: ReadonlySet<string> = new Set(['accountNo']);

/** Parses a DCMS body; `accountNo` numbers come back as their exact digit strings. */
export const parseDcmsJson = (text: string): unknown => parseWithExactNumbers(text, EXACT_NUMBER_KEYS);

/** Serialises a DCMS body; digit-string `accountNo` values are written as JSON numbers, exactly. */
export const stringifyDcmsJson = (body: unknown): string => stringifyWithExactNumbers(body, EXACT_NUMBER_KEYS);

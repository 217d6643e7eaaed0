/**
 * Card91 JSON on the wire. Amounts and account ids arrive as JSON numbers (`12.00`,
 * `767396723544` per the method tables), and `JSON.parse` would turn them into binary floats:
 * `12.00` loses its scale and a long id past 2^53 silently changes. The reader keeps the source
 * text of every number under the keys below (JSON.parse source-text access, Node >= 21); the writer
 * emits decimal strings as exact JSON numbers (JSON.rawJSON). Both are shared by the client and
 * the sandbox so that neither ever does float arithmetic on money.
 */

/** Keys whose numeric values are money or identifiers and must keep their exact source text. */
export const EXACT_NUMBER_KEYS: ReadonlySet<string> = new Set([
  // identifiers (the documents disagree whether these are numbers or strings)
  'id',
  'accountId',
  'account',
  'entityId',
  'orgCardProgramId',
  'referenceNumber',
  // money
  'amount',
  'balance',
  'baseCurrencyAmount',
  'exchangeRate',
  'overallMarkup',
  'fxAmount',
  'maxLoadLimit',
  'lrsLimit',
  'usedLimit',
  'availableLimit',
  'perAtmTxnLimit',
  'perOnlineTxnLimit',
  'perPosTxnLimit',
  'perContactlessTxnLimit',
  'maxPerAtmTxnLimit',
  'maxPerOnlineTxnLimit',
  'maxPerPosTxnLimit',
  'maxPerContactlessTxnLimit',
]);

type ReviverContext = { source?: string };
type Reviver = (this: unknown, key: string, value: unknown, context?: ReviverContext) => unknown;
type RawJson = { rawJSON: (text: string) => unknown };
const rawJson = JSON as unknown as RawJson;

/** Parses Card91 JSON; numbers under EXACT_NUMBER_KEYS come back as their exact source text. Throws SyntaxError. */
export function parseCard91Json(text: string): unknown {
  const keepExactText: Reviver = (key, value, context) =>
    EXACT_NUMBER_KEYS.has(key) && typeof value === 'number' && context?.source !== undefined ? context.source : value;
  return JSON.parse(text, keepExactText as Parameters<typeof JSON.parse>[1]);
}

/**
 * A value that JSON.stringify writes as the given number literal, digit for digit. The caller
 * guarantees `numberText` is a valid JSON number (canonical decimals from money.ts always are).
 */
export const exactJsonNumber = (numberText: string): unknown => rawJson.rawJSON(numberText);

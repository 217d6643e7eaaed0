/**
 * Card91 JSON on the wire. Amounts and account ids arrive as JSON numbers (`12.00`,
 * `767396723544` per the method tables): the client reads them as their exact text (the codec is
 * shared/json/exact-numbers.ts), so that it never does float arithmetic on money.
 */
import { parseWithExactNumbers } from '../json/exact-numbers.js';

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

/** Parses Card91 JSON; numbers under EXACT_NUMBER_KEYS come back as their exact source text. Throws SyntaxError. */
export const parseCard91Json = (text: string): unknown => parseWithExactNumbers(text, EXACT_NUMBER_KEYS);

/**
 * The request bodies the sandbox accepts (M1, M6, M7, M8), written from docs/reference/card91.md
 * docs/reference/card91.md §3 and kept apart from the client's own schemas (shared/card91/request-schemas.ts) on purpose: a body
 * the client builds wrongly must be refused here, not accepted by the same mistake.
 *
 * Wire types as the reference documents them: limits are JSON numbers (the M6 table says int,
 * responses show decimals, so any non-negative number is taken, never a numeral in a string),
 * channel switches JSON booleans, ids and codes strings. The reader (`parseRequestJson`) hands
 * every number over as its source text, so money never passes through a binary float.
 */
import * as z from 'zod';
import { parseDecimal } from '../../shared/card91/money.js';

/** A JSON number exactly as the request wrote it. */
export class JsonNumber {
  constructor(readonly text: string) {}
}

type ReviverContext = { source?: string };
type Reviver = (this: unknown, key: string, value: unknown, context?: ReviverContext) => unknown;

/** Parses a request body; every number comes back as a JsonNumber. Throws SyntaxError. */
export function parseRequestJson(text: string): unknown {
  const wrapNumbers: Reviver = (_key, value, context) => (typeof value === 'number' ? new JsonNumber(context?.source ?? String(value)) : value);
  return JSON.parse(text, wrapNumbers as Parameters<typeof JSON.parse>[1]);
}

/** A non-negative JSON number, as a canonical decimal string (shared/card91/money.ts). */
const amount = z.instanceof(JsonNumber, { error: 'must be a JSON number' }).transform((value, ctx) => {
  const decimal = parseDecimal(value.text);
  if (decimal === undefined || decimal.startsWith('-')) {
    ctx.addIssue({ code: 'custom', message: 'must be an amount >= 0' });
    return z.NEVER;
  }
  return decimal;
});

/** docs/reference/card91.md §1.3: country code `91`, no `+`, then the ten digits of an Indian mobile. */
const mobile = z.string().regex(/^91\d{10}$/);
const nonEmpty = z.string().min(1);

/** M1 body: all three fields appear required (docs/reference/card91.md §3 M1). */
export const loginBody = z.object({ mobile, sdkAuthToken: nonEmpty, orgId: nonEmpty });

/** One currency of M6 (docs/reference/card91.md §3 M6, the sample's nested shape; the flat parameter table is the reference's mistake). */
const limitLine = z.object({
  /** A code from M3's balance list (ISO 4217). */
  currency: z.string().regex(/^[A-Z]{3}$/),
  isContactLessAllowed: z.boolean(),
  isAtmLimitEnabled: z.boolean(),
  isOnlineLimitEnabled: z.boolean(),
  isPosLimitEnabled: z.boolean(),
  perAtmTxnLimit: amount,
  perOnlineTxnLimit: amount,
  perPosTxnLimit: amount,
  perContactlessTxnLimit: amount,
});

/** M6 body. */
export const setLimitsBody = z.object({ entityType: z.literal('CARD'), entityId: nonEmpty, limits: z.array(limitLine).min(1) });

/**
 * M7 and M8 share one path and verb (docs/reference/card91.md §3 M7, M8): BLOCKED needs a reason, LOCKED and UNLOCKED take
 * none. The reasons are the reference's examples: it introduces them with "eg.", so the real list
 * may be longer, but the sandbox takes only what the reference shows.
 */
export const cardStatusBody = z.discriminatedUnion('status', [
  z.object({ status: z.literal('BLOCKED'), blockedReason: z.enum(['STOLEN', 'LOST', 'DAMAGED', 'NOT_REQUIRED']) }),
  z.object({ status: z.enum(['LOCKED', 'UNLOCKED']) }),
]);

export type LoginBody = z.infer<typeof loginBody>;
export type SetLimitsBody = z.infer<typeof setLimitsBody>;
export type CardStatusBody = z.infer<typeof cardStatusBody>;

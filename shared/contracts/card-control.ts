import * as z from 'zod';
import { cloudEvent } from './envelope.js';
import { currencyCode } from './fields.js';
import { AMOUNT_MAX, boundedList, boundedPattern, boundedString, CARD_ID_MAX, CARD_LIMITS_MAX, MOBILE_MAX } from './limits.js';

export const CARD_CONTROL_REQUESTED = 'bank.card.control.requested.v1';

export const blockReason = z.enum(['STOLEN', 'LOST', 'DAMAGED', 'NOT_REQUIRED']);

/** A decimal amount as a string or a number; kept as a canonical decimal string (never a float). */
const amount = z
  .union([boundedString(AMOUNT_MAX), z.number()])
  .transform(String)
  .pipe(z.string().regex(/^\d{1,15}(\.\d{1,4})?$/, 'amount must be a non-negative decimal'));

/** Card91 `limits[]` entry, one per currency (docs/reference/card91.md §3 M6: set card settings). */
export const cardLimit = z.object({
  currency: currencyCode,
  isContactLessAllowed: z.boolean().optional(),
  isAtmLimitEnabled: z.boolean().optional(),
  isOnlineLimitEnabled: z.boolean().optional(),
  isPosLimitEnabled: z.boolean().optional(),
  perAtmTxnLimit: amount.optional(),
  perOnlineTxnLimit: amount.optional(),
  perPosTxnLimit: amount.optional(),
  perContactlessTxnLimit: amount.optional(),
});
export type CardLimit = z.infer<typeof cardLimit>;

export const cardControlData = z
  .object({
    // Card91 mobiles carry the country code, no `+` (reference: `91…`).
    mobile: boundedPattern(MOBILE_MAX, /^\d{10,15}$/, 'mobile must be 10 to 15 digits, country code first (e.g. 91…)'),
    cardId: boundedString(CARD_ID_MAX).min(1),
    action: z.enum(['BLOCK', 'FREEZE', 'UNFREEZE', 'SET_LIMITS']),
    reason: blockReason.optional(),
    limits: boundedList(cardLimit, CARD_LIMITS_MAX).min(1).optional(),
  })
  .superRefine((data, ctx) => {
    if (data.action === 'BLOCK' && !data.reason) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'reason is required for BLOCK' });
    if (data.action === 'SET_LIMITS' && !data.limits) ctx.addIssue({ code: 'custom', path: ['limits'], message: 'limits are required for SET_LIMITS' });
  });

export const cardControlEvent = cloudEvent(CARD_CONTROL_REQUESTED, cardControlData);
export type CardControlData = z.infer<typeof cardControlData>;
export type CardControlEvent = z.infer<typeof cardControlEvent>;

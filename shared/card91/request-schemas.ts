/**
 * Card91 request inputs (docs/reference/card91.md §3), validated before anything is sent: a
 * failure is an InvalidEvent naming the offending fields.
 */
import * as z from 'zod';
import { nonNegativeDecimal } from './schema-fields.js';

/** Indian mobile with the `91` country code and no `+` (docs/reference/card91.md §1.3). */
export const mobileSchema = z.string().regex(/^91\d{10}$/, 'expected 91 followed by 10 digits');

/** Platform ids (`CID…`, `CUST…`, `OID…`, account ids) go into paths and queries: restrict them to safe characters. */
export const platformIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'expected an alphanumeric id');

export const pageRequestSchema = z.object({
  page: z.number().int().min(1).default(1),
  perPage: z.number().int().min(1).max(100).default(25),
});

/** M1 body. */
export const loginRequestSchema = z.object({
  mobile: mobileSchema,
  sdkAuthToken: z.string().min(1),
  orgId: platformIdSchema,
});

/** One currency's limits as M6 takes them (the sample's nested shape, not the flat table: docs/reference/card91.md §3 M6). */
export const cardLimitInputSchema = z.object({
  currency: z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code'),
  isContactLessAllowed: z.boolean(),
  isAtmLimitEnabled: z.boolean(),
  isOnlineLimitEnabled: z.boolean(),
  isPosLimitEnabled: z.boolean(),
  perAtmTxnLimit: nonNegativeDecimal,
  perOnlineTxnLimit: nonNegativeDecimal,
  perPosTxnLimit: nonNegativeDecimal,
  perContactlessTxnLimit: nonNegativeDecimal,
});

/** M6 body. */
export const setCardSettingsRequestSchema = z.object({
  entityType: z.literal('CARD'),
  entityId: platformIdSchema,
  limits: z.array(cardLimitInputSchema).min(1),
});

/** Reasons docs/reference/card91.md §3 M7 lists (introduced with "eg.", so Card91 may know more; we send only these). */
export const blockReasonSchema = z.enum(['STOLEN', 'LOST', 'DAMAGED', 'NOT_REQUIRED']);

/** M7 body: permanent. */
export const blockCardRequestSchema = z.object({ status: z.literal('BLOCKED'), blockedReason: blockReasonSchema });

/** M8 body: temporary freeze / unfreeze. */
export const cardLockRequestSchema = z.object({ status: z.enum(['LOCKED', 'UNLOCKED']) });

/** M7 and M8 share one path and verb; the body tells them apart. */
export const cardStatusRequestSchema = z.discriminatedUnion('status', [blockCardRequestSchema, cardLockRequestSchema]);

export type PageRequest = z.input<typeof pageRequestSchema>;
export type LoginRequest = z.infer<typeof loginRequestSchema>;
export type CardLimitInput = z.input<typeof cardLimitInputSchema>;
export type BlockReason = z.infer<typeof blockReasonSchema>;
export type CardLockStatus = z.infer<typeof cardLockRequestSchema>['status'];
export type CardStatusRequest = z.infer<typeof cardStatusRequestSchema>;
export type SetCardSettingsRequest = z.infer<typeof setCardSettingsRequestSchema>;

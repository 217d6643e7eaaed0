import * as z from 'zod';
import { ACCOUNT_NO_MAX, boundedPattern, CURRENCY_MAX, ENTITY_ID_MAX } from './limits.js';

/*
 * Fields more than one contract carries, in a module of their own: a worker bundles and builds only
 * the contracts it accepts, and sharing a field must not pull in the whole contract it came from.
 */

/** Digits only: account numbers reach 17 digits, so they stay strings end to end. */
export const accountNumber = boundedPattern(ACCOUNT_NO_MAX, /^\d{1,20}$/, 'accountNo must be a string of 1 to 20 digits');
export const cardType = z.enum(['PHYSICAL', 'VIRTUAL']);
export const addressCategory = z.enum(['PERMANENT', 'COMMUNICATION']);
export const entityId = boundedPattern(ENTITY_ID_MAX, /^[A-Za-z0-9_-]{1,64}$/, 'entityId must be 1 to 64 letters, digits, _ or -');
export const currencyCode = boundedPattern(CURRENCY_MAX, /^[A-Z]{3}$/, 'currency must be an ISO 4217 code');

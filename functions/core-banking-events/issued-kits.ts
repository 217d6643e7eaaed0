import { FailureCategory, IntegrationError } from '../../shared/resilience/errors.js';
import type { DcmsKit } from '../../shared/dcms/schemas.js';

/** What we keep of an issued kit: no card number, masked or not. */
export interface IssuedKit {
  kitNo: string;
  accountNo?: string;
  cardType?: string;
  cardStatus?: string;
}

/**
 * Kits from a DCMS answer. `/register` answers may omit `accountNo` on the insta-card kit; the
 * request says which account it was for.
 */
export function toIssuedKits(kits: readonly DcmsKit[], requested?: { accountNo: string; cardType: string }): IssuedKit[] {
  return kits.map((kit) => ({
    kitNo: kit.kitNo,
    ...((kit.accountNo ?? requested?.accountNo) && { accountNo: kit.accountNo ?? requested?.accountNo }),
    ...((kit.cardType ?? requested?.cardType) && { cardType: kit.cardType ?? requested?.cardType }),
    ...(kit.cardStatus && { cardStatus: kit.cardStatus }),
  }));
}

/**
 * Account numbers compare as digit strings, leading zeros aside: `fetchKitsByEntityId` carries them
 * as strings, `/registerCard` answers as JSON numbers, which cannot keep a leading zero.
 */
const sameAccount = (a: string, b: string): boolean => a.replace(/^0+(?=\d)/, '') === b.replace(/^0+(?=\d)/, '');

/**
 * The kit issued for this account and card type, if DCMS has one, in any status: a REPLACED or
 * blocked kit still proves the card was issued. The kits come from the read that maps kits to
 * accounts; should DCMS ever list a kit of that card type without its account number, the answer
 * cannot decide, and rather than risk a second card the record goes to an operator.
 */
export function findKit(kits: readonly IssuedKit[], wanted: { accountNo: string; cardType: string }): IssuedKit | undefined {
  const sameType = kits.filter((kit) => kit.cardType === undefined || kit.cardType === wanted.cardType);
  const match = sameType.find((kit) => kit.accountNo !== undefined && sameAccount(kit.accountNo, wanted.accountNo));
  if (match) return match;
  if (sameType.some((kit) => kit.accountNo === undefined)) {
    throw new IntegrationError({
      category: FailureCategory.Permanent,
      code: 'RECONCILE_AMBIGUOUS',
      message: `DCMS lists a ${wanted.cardType} kit without its account number: cannot tell whether this account's card was issued; check DCMS, then redrive or discard`,
    });
  }
  return undefined;
}

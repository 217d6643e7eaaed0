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

/** Account numbers compare as numbers do: DCMS carries them as JSON numbers, so leading zeros are lost there. */
const sameAccount = (a: string, b: string): boolean => a.replace(/^0+(?=\d)/, '') === b.replace(/^0+(?=\d)/, '');

/**
 * The kit issued for this account and card type, if DCMS has one. A kit of that card type listed
 * without its account number (the reference's viewCustomer sample has none) makes the answer
 * undecidable: rather than risk a second card, the record goes to an operator.
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

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

/** The kit issued for this account and card type, if DCMS has one. */
export const findKit = (kits: readonly IssuedKit[], wanted: { accountNo: string; cardType: string }): IssuedKit | undefined =>
  kits.find((kit) => kit.accountNo === wanted.accountNo && kit.cardType === wanted.cardType);

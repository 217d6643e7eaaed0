import { createHmac, randomBytes, randomInt } from 'node:crypto';

/** A card exactly as `/registerCard` returns it (seed), field order included. */
export interface IssuedCard {
  accountNo: string;
  bin: string;
  cardCategory: 'DEBIT';
  cardNumber: string;
  cardStatus: string;
  cardType: string;
  encryptedCardNumber: string;
  entityId: string;
  expDate: string;
  kitNo: string;
  networkType: 'RUPAY';
  productId: string;
  productName: string;
}

export interface CardOrder {
  entityId: string;
  accountNo: string;
  cardType: string;
  /** The linked account's scheme code; DCMS derives the product from it (`2003_PHYSICAL`). */
  schemeCode: string | undefined;
  kitNo: string;
}

const BIN = '608040';
const DEFAULT_SCHEME_CODE = '2003';
const VALIDITY_YEARS = 3;
/** Kit numbers continue from the seed's sample (4240181595) so they look like DCMS's. */
const FIRST_KIT_NO = 4_240_181_595;

/** Luhn check digit, so generated PANs are well formed even though only their last 4 digits leave. */
export function luhnCheckDigit(partial: string): number {
  let sum = 0;
  for (let i = 0; i < partial.length; i += 1) {
    let digit = Number(partial[partial.length - 1 - i]);
    if (i % 2 === 0) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return (10 - (sum % 10)) % 10;
}

/** Last day of the month, `VALIDITY_YEARS` ahead, in DCMS's offset format: "2029-07-31T00:00:00.000+00:00". */
export function expiryDate(issuedAt: Date): string {
  const lastDay = new Date(Date.UTC(issuedAt.getUTCFullYear() + VALIDITY_YEARS, issuedAt.getUTCMonth() + 1, 0));
  return `${lastDay.toISOString().slice(0, 10)}T00:00:00.000+00:00`;
}

/**
 * Mints cards. The PAN never leaves: callers get the masked number and an HMAC of it standing in
 * for DCMS's opaque `encryptedCardNumber` (64 hex characters, like the seed's).
 */
export class CardFactory {
  private readonly key = randomBytes(32);
  private nextKitNo = FIRST_KIT_NO;

  constructor(private readonly now: () => Date = () => new Date()) {}

  /** A fresh 10-digit kit number; `isTaken` lets a tenant's pre-allocated insta kits be skipped. */
  nextKit(isTaken: (kitNo: string) => boolean): string {
    let kitNo: string;
    do {
      kitNo = String(this.nextKitNo);
      this.nextKitNo += 1;
    } while (isTaken(kitNo));
    return kitNo;
  }

  issue(order: CardOrder): IssuedCard {
    const body = `${BIN}${String(randomInt(0, 1_000_000_000)).padStart(9, '0')}`;
    const pan = `${body}${luhnCheckDigit(body)}`;
    const product = `${order.schemeCode ?? DEFAULT_SCHEME_CODE}_${order.cardType}`;
    return {
      accountNo: order.accountNo,
      bin: BIN,
      cardCategory: 'DEBIT',
      cardNumber: `${BIN}XXXXXX${pan.slice(-4)}`,
      cardStatus: 'INACTIVE',
      cardType: order.cardType,
      encryptedCardNumber: createHmac('sha256', this.key).update(pan).digest('hex'),
      entityId: order.entityId,
      expDate: expiryDate(this.now()),
      kitNo: order.kitNo,
      networkType: 'RUPAY',
      productId: product,
      productName: product,
    };
  }
}

import type { KitRecord } from './store.js';

/** DCMS writes instants with an explicit offset, as `expDate` shows: "2029-07-31T00:00:00.000+00:00". */
const dcmsInstant = (iso: string): string => iso.replace(/Z$/, '+00:00');

/**
 * A kit as `/viewCustomer` lists it: the fields of the reference's sample (docs/reference/dcms.md §3.4), which has neither
 * `accountNo` nor `encryptedCardNumber`. Which account a kit belongs to is what the kit reads tell.
 */
export function viewCustomerKit({ card }: KitRecord) {
  return {
    bin: card.bin,
    cardCategory: card.cardCategory,
    cardNumber: card.cardNumber,
    cardStatus: card.cardStatus,
    cardType: card.cardType,
    entityId: card.entityId,
    expDate: card.expDate,
    kitNo: card.kitNo,
    networkType: card.networkType,
    productId: card.productId,
    productName: card.productName,
  };
}

/** A kit as `/kit-manager/fetchKitsByAccountNo` lists it under its entity: the docs/reference/dcms.md §3.4a fields without `accountNo`. */
export function accountKit(kit: KitRecord) {
  const { card } = kit;
  return {
    kitNo: card.kitNo,
    cardType: card.cardType,
    cardStatus: card.cardStatus,
    entityId: card.entityId,
    bin: card.bin,
    cardCategory: card.cardCategory,
    cardNumber: card.cardNumber,
    encryptedCardNumber: card.encryptedCardNumber,
    networkType: card.networkType,
    productId: card.productId,
    productName: card.productName,
    expDate: card.expDate,
    // Not in any captured sample's values: null rather than an invented tier.
    tierType: null,
    createdDate: dcmsInstant(kit.createdAt),
    changedDate: dcmsInstant(kit.changedAt),
    cardActivationDate: kit.activatedAt === null ? null : dcmsInstant(kit.activatedAt),
  };
}

/**
 * A kit as `/kit-manager/fetchKitsByEntityId` lists it (docs/reference/dcms.md §3.4a): every field, `accountNo` first and
 * as a JSON string (a number in `/registerCard` answers: callers compare digit strings).
 */
export function entityKit(kit: KitRecord) {
  return { accountNo: kit.card.accountNo, ...accountKit(kit) };
}

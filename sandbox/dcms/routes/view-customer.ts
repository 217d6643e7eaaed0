import { customerNotFound, invalidInput } from '../dcms-errors.js';
import { ok } from '../envelope.js';
import type { DcmsHandler } from '../pipeline.js';
import { validate, viewCustomerRequest } from '../schemas.js';
import type { CustomerRecord, KitRecord, SandboxStore } from '../store.js';

/**
 * Kits as viewCustomer lists them: the §3.4 fields plus `accountNo` (so a caller can match a kit to
 * its account after an unknown outcome) and the last `deliveryStatus`; no `encryptedCardNumber`.
 */
function kitView({ card, deliveryStatus }: KitRecord) {
  const { encryptedCardNumber: _hidden, ...visible } = card;
  return { ...visible, deliveryStatus };
}

function customerView(customer: CustomerRecord, kits: KitRecord[]) {
  const p = customer.profile;
  return {
    entityId: p.entityId,
    entityType: p.entityType,
    firstName: p.firstName,
    middleName: p.middleName ?? '',
    lastName: p.lastName,
    title: p.title ?? null,
    gender: p.gender,
    dob: p.dob,
    business: p.business,
    businessId: p.businessId,
    businessType: p.businessType,
    accountInfo: p.accountInfo,
    kitInfo: kits.map(kitView),
    addressInfo: p.addressInfo.map((address) => ({ ...address, district: address.district ?? null, isoCountryCode: address.isoCountryCode ?? null })),
    communicationInfo: p.communicationInfo.map((contact) => ({ appId: null, ...contact })),
  };
}

/** `POST /viewCustomer`: the full profile, or CUS001. */
export const viewCustomer =
  (store: SandboxStore): DcmsHandler =>
  ({ tenant, body }) => {
    const input = validate(viewCustomerRequest, body);
    if (!input.ok) return invalidInput(input.fieldError);
    const customer = store.customer(tenant, input.value.entityId);
    if (customer === undefined) return customerNotFound();
    return ok(customerView(customer, store.kitsOf(tenant, customer)));
  };

import { customerNotFound, invalidInput } from '../dcms-errors.js';
import { ok } from '../envelope.js';
import { viewCustomerKit } from '../kit-views.js';
import type { DcmsHandler } from '../pipeline.js';
import { validate, viewCustomerRequest } from '../schemas.js';
import type { CustomerRecord, KitRecord, SandboxStore } from '../store.js';

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
    kitInfo: kits.map(viewCustomerKit),
    addressInfo: p.addressInfo.map((address) => ({ ...address, district: address.district ?? null, isoCountryCode: address.isoCountryCode ?? null })),
    communicationInfo: p.communicationInfo.map((contact) => ({ appId: null, ...contact })),
  };
}

/**
 * `POST /viewCustomer`: the full profile, or CUS001. Its kits carry no `accountNo` and no delivery
 * status, as the reference documents (docs/reference/dcms.md §3.4): the sandbox's admin API shows delivery statuses.
 */
export const viewCustomer =
  (store: SandboxStore): DcmsHandler =>
  ({ tenant, body }) => {
    const input = validate(viewCustomerRequest, body);
    if (!input.ok) return invalidInput(input.fieldError);
    const customer = store.customer(tenant, input.value.entityId);
    if (customer === undefined) return customerNotFound();
    return ok(customerView(customer, store.kitsOf(tenant, customer)));
  };

import { ok } from '../envelope.js';
import { viewCustomerKit } from '../kit-views.js';
import type { DcmsHandler } from '../pipeline.js';
import { viewCustomerRequest } from '../schemas.js';
import type { CustomerRecord, KitRecord, SandboxStore } from '../store.js';
import { forExistingCustomer } from './existing-customer.js';

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
export const viewCustomer = (store: SandboxStore): DcmsHandler =>
  forExistingCustomer(store, viewCustomerRequest, (_input, customer, { tenant }) => ok(customerView(customer, store.kitsOf(tenant, customer))));

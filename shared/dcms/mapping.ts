import type { AccountOpenedData, CustomerCreatedData } from '../contracts/index.js';
import type { TenantSettings } from '../config/tenants.js';
import type { DeliveryStatusRequest, RegisterCardRequest, RegisterCustomerRequest } from './schemas.js';

/** `bank.customer.created.v1` → `/register` (with the insta-card in `kitInfo` when the event carries `card`). */
export function toRegisterCustomer(data: CustomerCreatedData, tenant: TenantSettings): RegisterCustomerRequest {
  const primaryAccountNo = data.accounts.find((a) => a.isPrimary)?.accountNo ?? data.accounts[0]?.accountNo;
  return {
    entityId: data.entityId,
    entityType: 'CUSTOMER',
    businessType: tenant.businessType,
    business: tenant.business,
    businessId: tenant.businessId,
    ...(data.title && { title: data.title }),
    firstName: data.firstName,
    middleName: data.middleName ?? '',
    lastName: data.lastName,
    gender: data.gender,
    dob: data.dob,
    referralEntityId: null,
    ...(data.card && { deliveryAddress: data.card.deliveryAddress }),
    addressInfo: data.addresses.map((a) => ({
      address1: a.line1,
      ...(a.line2 && { address2: a.line2 }),
      ...(a.line3 && { address3: a.line3 }),
      addressCategory: a.category,
      city: a.city,
      state: a.state,
      country: a.country,
      district: a.district ?? null,
      isoCountryCode: null,
      pincode: a.pincode,
    })),
    communicationInfo: data.contacts.map((c) => ({
      contactNo: c.mobile,
      ...(c.email && { emailId: c.email }),
      notification: c.notification ?? true,
    })),
    // Field names of kycInfo are unconfirmed by M2P (docs/reference/dcms.md §3.1, open question 7): our own names, one place to change.
    kycInfo: data.kycDocuments.map((k) => ({ documentType: k.type, documentNo: k.number, ...(k.expiry && { expiryDate: k.expiry }) })),
    accountInfo: data.accounts.map((a) => ({
      accountNo: a.accountNo,
      accountStatus: a.status ?? 'ACTIVE',
      accountType: a.type,
      accountsCurrency: a.currency,
      defaultAccount: a.accountNo === primaryAccountNo,
      isPrimary: a.isPrimary ?? false,
      ...(a.schemeCode && { schemeCode: a.schemeCode }),
    })),
    ...(data.card && { kitInfo: [{ accountNo: data.card.accountNo, cardType: data.card.cardType }] }),
  };
}

/** `bank.account.opened.v1` → `/registerCard`. */
export function toRegisterCard(data: AccountOpenedData): RegisterCardRequest {
  return {
    entityId: data.entityId,
    deliveryAddress: data.deliveryAddress,
    kitInfo: [{ accountNo: data.accountNo, cardType: data.cardType }],
  };
}

/** One (tenant, status) group of courier events → the `deliveryStatus` body (kits deduplicated, in order). */
export function toDeliveryStatusRequest(status: string, kitNos: readonly string[]): DeliveryStatusRequest {
  return [{ deliveryStatus: status, kitNo: [...new Set(kitNos)] }];
}

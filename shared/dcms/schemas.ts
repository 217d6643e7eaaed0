import * as z from 'zod';

/**
 * DCMS wire shapes (docs/reference/dcms.md). Responses are parsed leniently (the
 * documents disagree on several shapes); requests are exactly what we send.
 */

/** Three exception shapes are documented (docs/reference/dcms.md §1.2): every field optional, parse what is there. */
export const dcmsException = z.looseObject({
  errorCode: z.string().optional(),
  shortMessage: z.string().nullish(),
  detailMessage: z.string().nullish(),
  errorMessage: z.string().nullish(),
  httpStatus: z.string().nullish(),
  fieldError: z.array(z.string()).nullish(),
});
export type DcmsException = z.infer<typeof dcmsException>;

export const dcmsEnvelope = z.looseObject({
  result: z.unknown().optional(),
  exception: dcmsException.nullish(),
  pagination: z.unknown().optional(),
});

/** accountNo arrives as a number or a string; the JSON codec already keeps numbers' exact digits. */
const accountNo = z.union([z.string(), z.number()]).transform(String);

export const dcmsKit = z.looseObject({
  kitNo: z.union([z.string(), z.number()]).transform(String),
  accountNo: accountNo.optional(),
  cardType: z.string().optional(),
  cardStatus: z.string().optional(),
  cardNumber: z.string().optional(),
  bin: z.string().optional(),
  networkType: z.string().optional(),
  productId: z.string().optional(),
  expDate: z.string().optional(),
});
export type DcmsKit = z.infer<typeof dcmsKit>;

export const registrationResult = z.looseObject({
  entityId: z.string(),
  kitInfo: z.array(dcmsKit).nullish().transform((kits) => kits ?? []),
});
export type RegistrationResult = z.infer<typeof registrationResult>;

export const customerView = z.looseObject({
  entityId: z.string(),
  accountInfo: z.array(z.looseObject({ accountNo: accountNo.optional() })).nullish().transform((a) => a ?? []),
  kitInfo: z.array(dcmsKit).nullish().transform((kits) => kits ?? []),
});
export type CustomerView = z.infer<typeof customerView>;

/** `/kit-manager/fetchKitsByEntityId` (docs/reference/dcms.md §3.4a): a bare array, every kit with its account number (a string there). */
export const entityKits = z.array(dcmsKit).nullish().transform((kits) => kits ?? []);

/** One per-kit result of updateDeliveryStatus (docs/reference/dcms.md §3.3): success only if `result === true` and no exception. */
export const kitDeliveryResult = z.looseObject({
  kitNo: z.union([z.string(), z.number()]).transform(String),
  result: z.boolean().optional(),
  status: z.union([z.string(), z.number()]).optional(),
  exception: dcmsException.nullish(),
});
export const deliveryResults = z.array(kitDeliveryResult);
export type KitDeliveryResult = z.infer<typeof kitDeliveryResult>;

export interface DcmsAddress {
  address1: string;
  address2?: string;
  address3?: string;
  addressCategory: 'PERMANENT' | 'COMMUNICATION';
  city: string;
  state: string;
  country: string;
  district: string | null;
  isoCountryCode: string | null;
  pincode: string;
}

export interface DcmsKitRequest {
  /** Digit string; written as an exact JSON number by the codec. */
  accountNo: string;
  cardType: 'PHYSICAL' | 'VIRTUAL';
  kitNo?: string;
}

export interface RegisterCustomerRequest {
  entityId: string;
  entityType: 'CUSTOMER';
  businessType: string;
  business: string;
  businessId: string;
  title?: string;
  firstName: string;
  middleName: string;
  lastName: string;
  gender: 'MALE' | 'FEMALE' | 'OTHER';
  dob: string;
  referralEntityId: null;
  deliveryAddress?: 'PERMANENT' | 'COMMUNICATION';
  addressInfo: DcmsAddress[];
  communicationInfo: Array<{ contactNo: string; emailId?: string; notification: boolean }>;
  /** Field names unconfirmed by M2P (docs/reference/dcms.md §3.1): kept open. */
  kycInfo: Array<Record<string, unknown>>;
  accountInfo: Array<{
    accountNo: string;
    accountStatus: string;
    accountType: string;
    accountsCurrency: string;
    defaultAccount: boolean;
    isPrimary: boolean;
    schemeCode?: string;
  }>;
  kitInfo?: DcmsKitRequest[];
}

export interface RegisterCardRequest {
  entityId: string;
  deliveryAddress?: 'PERMANENT' | 'COMMUNICATION';
  kitInfo: DcmsKitRequest[];
}

export type DeliveryStatusRequest = Array<{ deliveryStatus: string; kitNo: string[] }>;

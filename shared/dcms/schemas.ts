import * as z from 'zod';

/**
 * DCMS wire shapes (docs/reference/dcms.md). Responses are parsed leniently (the
 * documents disagree on several shapes); requests are exactly what we send.
 */

/*
 * Fields that validate alike share one schema instance (zod schemas are immutable): every instance
 * is work at cold start, and these lenient shapes repeat the same few fields many times.
 */
const text = z.string();
const optionalText = text.optional();
const nullishText = text.nullish();
/** Numbers and strings alike, as a string; the JSON codec already keeps numbers' exact digits. */
const numberOrString = z.union([text, z.number()]);
const asString = numberOrString.transform(String);

/** Three exception shapes are documented (docs/reference/dcms.md §1.2): every field optional, parse what is there. */
export const dcmsException = z.looseObject({
  errorCode: optionalText,
  shortMessage: nullishText,
  detailMessage: nullishText,
  errorMessage: nullishText,
  httpStatus: nullishText,
  fieldError: z.array(text).nullish(),
});
export type DcmsException = z.infer<typeof dcmsException>;
const nullishException = dcmsException.nullish();

export const dcmsEnvelope = z.looseObject({
  result: z.unknown().optional(),
  exception: nullishException,
  pagination: z.unknown().optional(),
});

export const dcmsKit = z.looseObject({
  kitNo: asString,
  /** accountNo arrives as a number or a string. */
  accountNo: asString.optional(),
  cardType: optionalText,
  cardStatus: optionalText,
  cardNumber: optionalText,
  bin: optionalText,
  networkType: optionalText,
  productId: optionalText,
  expDate: optionalText,
});
export type DcmsKit = z.infer<typeof dcmsKit>;

/** A list of kits that may be missing or null: an empty list then. */
const kitList = z
  .array(dcmsKit)
  .nullish()
  .transform((kits) => kits ?? []);

export const registrationResult = z.looseObject({
  entityId: text,
  kitInfo: kitList,
});
export type RegistrationResult = z.infer<typeof registrationResult>;

export const customerView = z.looseObject({
  entityId: text,
  accountInfo: z
    .array(z.looseObject({ accountNo: asString.optional() }))
    .nullish()
    .transform((a) => a ?? []),
  kitInfo: kitList,
});
export type CustomerView = z.infer<typeof customerView>;

/** `/kit-manager/fetchKitsByEntityId` (docs/reference/dcms.md §3.4a): a bare array, every kit with its account number (a string there). */
export const entityKits = kitList;

/** One per-kit result of updateDeliveryStatus (docs/reference/dcms.md §3.3): success only if `result === true` and no exception. */
export const kitDeliveryResult = z.looseObject({
  kitNo: asString,
  result: z.boolean().optional(),
  status: numberOrString.optional(),
  exception: nullishException,
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

/**
 * What the DCMS sandbox tests send and compare with: a complete /register body and the samples of
 * the seed and the reference (docs/reference/dcms.md), verbatim.
 */

export const TENANT = 'ACME_BANK';
export type Json = Record<string, unknown>;

/** A /register body with every required field (docs/reference/dcms.md §3.1 example). Account numbers as digit strings. */
export function customer(entityId: string, extra: Json = {}): Json {
  return {
    entityId,
    entityType: 'CUSTOMER',
    businessType: TENANT,
    business: TENANT,
    businessId: '687',
    title: 'Miss',
    firstName: 'Aadhu',
    middleName: '',
    lastName: 'Chandran',
    gender: 'FEMALE',
    dob: '1978-06-01',
    referralEntityId: null,
    addressInfo: [
      {
        address1: 'M2P Solutions Pvt Ltd',
        addressCategory: 'PERMANENT',
        city: 'CHENNAI',
        state: 'TAMILNADU',
        country: 'INDIA',
        district: null,
        isoCountryCode: null,
        pincode: '600032',
      },
    ],
    communicationInfo: [{ contactNo: '9876543210', emailId: 'aadhu@example.com', notification: true }],
    kycInfo: [{ documentType: 'PAN', documentNo: 'ABCDE1234F' }],
    accountInfo: [
      {
        accountNo: '8642135',
        accountStatus: 'ACTIVE',
        accountType: 'SAVING',
        accountsCurrency: 'INR',
        defaultAccount: true,
        initialFunding: '8000',
        isPrimary: false,
        schemeCode: '2003',
      },
    ],
    ...extra,
  };
}

/** The seed's registerCard success sample, verbatim. */
export const SEED_CARD = {
  accountNo: 8642135,
  bin: '608040',
  cardCategory: 'DEBIT',
  cardNumber: '608040XXXXXX6384',
  cardStatus: 'INACTIVE',
  cardType: 'PHYSICAL',
  encryptedCardNumber: '44a938afd8c4c062ded334e77d5c5e6275dc6e1422d2d2af370f3a99dfbe7482',
  entityId: '676765',
  expDate: '2029-07-31T00:00:00.000+00:00',
  kitNo: '4240181595',
  networkType: 'RUPAY',
  productId: '2003_PHYSICAL',
  productName: '2003_PHYSICAL',
};

/** The kit of the reference's viewCustomer sample (docs/reference/dcms.md §3.4), verbatim. */
export const VIEW_CUSTOMER_SAMPLE_KIT = {
  bin: '608040',
  cardCategory: 'DEBIT',
  cardNumber: '608040XXXXXX6857',
  cardStatus: 'INACTIVE',
  cardType: 'VIRTUAL',
  entityId: '675676',
  expDate: '2029-07-31T00:00:00.000+00:00',
  kitNo: '4240171642',
  networkType: 'RUPAY',
  productId: '2003_VIRTUAL',
  productName: '2003_VIRTUAL',
};

/** The seed's error sample, verbatim. */
export const SEED_CUS001 = {
  result: null,
  exception: {
    errorCode: 'CUS001',
    shortMessage: 'Customer not found',
    detailMessage: 'No customer found for the given entity ID',
    httpStatus: 'BAD_REQUEST',
    fieldError: ['Invalid entityId'],
    languageCode: 'en',
  },
  pagination: null,
};

/** The seed's registerCard curl example's body, as written there. */
export const SEED_CURL_BODY = '{ "entityId": "676765", "deliveryAddress": "PERMANENT", "kitInfo": [ { "accountNo": 8642135, "cardType": "PHYSICAL" } ] }';

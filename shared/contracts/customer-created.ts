import * as z from 'zod';
import { cloudEvent } from './envelope.js';
import { accountNumber, addressCategory, cardType, currencyCode, entityId } from './fields.js';
import {
  ACCOUNTS_MAX,
  ADDRESS_LINE_MAX,
  ADDRESSES_MAX,
  boundedList,
  boundedPattern,
  boundedString,
  CODE_MAX,
  CONTACTS_MAX,
  DATE_MAX,
  DOCUMENT_NUMBER_MAX,
  DOCUMENT_TYPE_MAX,
  EMAIL_MAX,
  KYC_DOCUMENTS_MAX,
  MOBILE_MAX,
  NAME_MAX,
  PINCODE_MAX,
  PLACE_NAME_MAX,
} from './limits.js';

export const CUSTOMER_CREATED = 'bank.customer.created.v1';

const isoDate = z.iso.date().max(DATE_MAX, `at most ${DATE_MAX} characters`);
const name = boundedString(NAME_MAX);
const placeName = boundedString(PLACE_NAME_MAX);
const addressLine = boundedString(ADDRESS_LINE_MAX);
const code = boundedString(CODE_MAX);

export const address = z.object({
  category: addressCategory,
  line1: addressLine.min(1),
  line2: addressLine.optional(),
  line3: addressLine.optional(),
  city: placeName.min(1),
  state: placeName.min(1),
  country: placeName.min(1),
  district: placeName.optional(),
  pincode: boundedPattern(PINCODE_MAX, /^[A-Za-z0-9 -]{3,10}$/, 'pincode must be 3 to 10 letters, digits, spaces or -'),
});

export const contact = z.object({
  mobile: boundedPattern(MOBILE_MAX, /^\+?\d{10,15}$/, 'mobile must be 10 to 15 digits'),
  email: z.email().max(EMAIL_MAX, `at most ${EMAIL_MAX} characters`).optional(),
  notification: z.boolean().optional(),
});

export const kycDocument = z.object({
  type: boundedString(DOCUMENT_TYPE_MAX).min(1),
  number: boundedString(DOCUMENT_NUMBER_MAX).min(1),
  expiry: isoDate.optional(),
});

export const account = z.object({
  accountNo: accountNumber,
  type: code.min(1),
  currency: currencyCode,
  status: code.optional(),
  isPrimary: z.boolean().optional(),
  schemeCode: code.optional(),
});

/** Present on a customer event = insta-card: issue the card in the same `/register` call. */
export const instaCard = z.object({
  accountNo: accountNumber,
  cardType,
  deliveryAddress: addressCategory,
});

export const customerCreatedData = z
  .object({
    entityId,
    title: z.enum(['Mr', 'Mrs', 'Miss', 'Ms', 'Dr']).optional(),
    firstName: name.min(1),
    middleName: name.optional(),
    lastName: name.min(1),
    gender: z.enum(['MALE', 'FEMALE', 'OTHER']),
    dob: isoDate,
    // DCMS /register rules (docs/reference/dcms.md §3.1): at least one PERMANENT address, one mobile, one KYC document, one account.
    addresses: boundedList(address, ADDRESSES_MAX).refine((list) => list.some((a) => a.category === 'PERMANENT'), {
      message: 'at least one PERMANENT address is required',
    }),
    contacts: boundedList(contact, CONTACTS_MAX).min(1, 'at least one contact with a mobile number is required'),
    kycDocuments: boundedList(kycDocument, KYC_DOCUMENTS_MAX).min(1, 'at least one KYC document is required'),
    accounts: boundedList(account, ACCOUNTS_MAX).min(1, 'at least one account is required'),
    card: instaCard.optional(),
  })
  .superRefine((data, ctx) => {
    if (data.card && !data.accounts.some((a) => a.accountNo === data.card?.accountNo)) {
      ctx.addIssue({ code: 'custom', path: ['card', 'accountNo'], message: 'card.accountNo must be one of the customer accounts' });
    }
    if (data.card && !data.addresses.some((a) => a.category === data.card?.deliveryAddress)) {
      ctx.addIssue({ code: 'custom', path: ['card', 'deliveryAddress'], message: 'card.deliveryAddress must name an address category the customer has' });
    }
  });

export const customerCreatedEvent = cloudEvent(CUSTOMER_CREATED, customerCreatedData);
export type CustomerCreatedData = z.infer<typeof customerCreatedData>;
export type CustomerCreatedEvent = z.infer<typeof customerCreatedEvent>;

import * as z from 'zod';
import { cloudEvent } from './envelope.js';

export const CUSTOMER_CREATED = 'bank.customer.created.v1';

/** Digits only: account numbers reach 17 digits, so they stay strings end to end. */
export const accountNumber = z.string().regex(/^\d{1,20}$/, 'accountNo must be a string of 1 to 20 digits');
export const cardType = z.enum(['PHYSICAL', 'VIRTUAL']);
export const addressCategory = z.enum(['PERMANENT', 'COMMUNICATION']);
export const entityId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'entityId must be 1 to 64 letters, digits, _ or -');
const isoDate = z.iso.date();

export const address = z.object({
  category: addressCategory,
  line1: z.string().min(1),
  line2: z.string().optional(),
  line3: z.string().optional(),
  city: z.string().min(1),
  state: z.string().min(1),
  country: z.string().min(1),
  district: z.string().optional(),
  pincode: z.string().regex(/^[A-Za-z0-9 -]{3,10}$/),
});

export const contact = z.object({
  mobile: z.string().regex(/^\+?\d{10,15}$/, 'mobile must be 10 to 15 digits'),
  email: z.email().optional(),
  notification: z.boolean().optional(),
});

export const kycDocument = z.object({
  type: z.string().min(1),
  number: z.string().min(1),
  expiry: isoDate.optional(),
});

export const account = z.object({
  accountNo: accountNumber,
  type: z.string().min(1),
  currency: z.string().regex(/^[A-Z]{3}$/, 'currency must be an ISO 4217 code'),
  status: z.string().optional(),
  isPrimary: z.boolean().optional(),
  schemeCode: z.string().optional(),
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
    firstName: z.string().min(1),
    middleName: z.string().optional(),
    lastName: z.string().min(1),
    gender: z.enum(['MALE', 'FEMALE', 'OTHER']),
    dob: isoDate,
    // DCMS /register rules (reference §3.1): at least one PERMANENT address, one mobile, one KYC document, one account.
    addresses: z.array(address).refine((list) => list.some((a) => a.category === 'PERMANENT'), {
      message: 'at least one PERMANENT address is required',
    }),
    contacts: z.array(contact).min(1, 'at least one contact with a mobile number is required'),
    kycDocuments: z.array(kycDocument).min(1, 'at least one KYC document is required'),
    accounts: z.array(account).min(1, 'at least one account is required'),
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

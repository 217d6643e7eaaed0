import * as limits from '../../../shared/contracts/limits.js';
import { digits, email, fill, type Event } from './fixtures.js';

/** Envelope attributes, each at its bound. */
const maximalEnvelope = (type: string) => ({
  specversion: '1.0',
  id: fill(limits.EVENT_ID_MAX, 'e'),
  source: `urn:${fill(limits.EVENT_SOURCE_MAX - 4, 's')}`,
  type,
  time: '2026-11-20T10:00:00.123456789+05:30',
  tenant: 'ACME_BANK',
  datacontenttype: 'application/json',
  subject: fill(limits.EVENT_SUBJECT_MAX, 'k'),
  traceparent: fill(limits.EXTENSION_ATTRIBUTE_MAX, 't'),
});

/** A customer with every string at its bound and every list full: the largest event the contract admits. */
export function maximalCustomer(): Event {
  const accounts = Array.from({ length: limits.ACCOUNTS_MAX }, (_, i) => ({
    accountNo: `${digits(limits.ACCOUNT_NO_MAX - 2)}${String(i).padStart(2, '0')}`,
    type: fill(limits.CODE_MAX, 'T'),
    currency: 'INR',
    status: fill(limits.CODE_MAX, 'S'),
    isPrimary: i === 0,
    schemeCode: fill(limits.CODE_MAX, '2'),
  }));
  return {
    ...maximalEnvelope('bank.customer.created.v1'),
    data: {
      entityId: fill(limits.ENTITY_ID_MAX, 'C'),
      title: 'Miss',
      firstName: fill(limits.NAME_MAX, 'F'),
      middleName: fill(limits.NAME_MAX, 'M'),
      lastName: fill(limits.NAME_MAX, 'L'),
      gender: 'FEMALE',
      dob: '1978-06-01',
      addresses: Array.from({ length: limits.ADDRESSES_MAX }, (_, i) => ({
        category: i === 0 ? 'PERMANENT' : 'COMMUNICATION',
        line1: fill(limits.ADDRESS_LINE_MAX, 'a'),
        line2: fill(limits.ADDRESS_LINE_MAX, 'b'),
        line3: fill(limits.ADDRESS_LINE_MAX, 'c'),
        city: fill(limits.PLACE_NAME_MAX, 'C'),
        state: fill(limits.PLACE_NAME_MAX, 'S'),
        country: fill(limits.PLACE_NAME_MAX, 'I'),
        district: fill(limits.PLACE_NAME_MAX, 'D'),
        pincode: fill(limits.PINCODE_MAX, '6'),
      })),
      contacts: Array.from({ length: limits.CONTACTS_MAX }, () => ({
        mobile: `+${digits(limits.MOBILE_MAX - 1)}`,
        email: email(limits.EMAIL_MAX),
        notification: true,
      })),
      kycDocuments: Array.from({ length: limits.KYC_DOCUMENTS_MAX }, () => ({
        type: fill(limits.DOCUMENT_TYPE_MAX, 'P'),
        number: fill(limits.DOCUMENT_NUMBER_MAX, 'N'),
        expiry: '2031-12-31',
      })),
      accounts,
      card: { accountNo: accounts[0]!.accountNo, cardType: 'PHYSICAL', deliveryAddress: 'PERMANENT' },
    },
  };
}

export function maximalCardControl(): Event {
  const amount = `${digits(15)}.1234`;
  return {
    ...maximalEnvelope('bank.card.control.requested.v1'),
    data: {
      mobile: digits(15),
      cardId: fill(limits.CARD_ID_MAX, 'I'),
      action: 'SET_LIMITS',
      limits: Array.from({ length: limits.CARD_LIMITS_MAX }, () => ({
        currency: 'AED',
        isContactLessAllowed: true,
        isAtmLimitEnabled: true,
        isOnlineLimitEnabled: true,
        isPosLimitEnabled: true,
        perAtmTxnLimit: amount,
        perOnlineTxnLimit: amount,
        perPosTxnLimit: amount,
        perContactlessTxnLimit: amount,
      })),
    },
  };
}

export const maximalAccount = (): Event => ({
  ...maximalEnvelope('bank.account.opened.v1'),
  data: { entityId: fill(limits.ENTITY_ID_MAX, 'C'), accountNo: digits(limits.ACCOUNT_NO_MAX), cardType: 'VIRTUAL', deliveryAddress: 'COMMUNICATION' },
});

export const maximalKitStatus = (): Event => ({
  ...maximalEnvelope('courier.kit.status.v1'),
  data: {
    kitNo: fill(limits.KIT_NO_MAX, '4'),
    status: 'DELIVERED',
    occurredAt: '2026-11-20T10:00:00.123456789+05:30',
    awb: fill(limits.AWB_MAX, '3'),
    courier: fill(limits.COURIER_NAME_MAX, 'b'),
    location: fill(limits.LOCATION_MAX, 'L'),
    remarks: fill(limits.REMARKS_MAX, 'R'),
  },
});

/** A copy of `event` with the value at `path` (`data.addresses.0.line1`) replaced. */
export function withValue(event: Event, path: string, value: unknown): Event {
  const copy = structuredClone(event);
  const keys = path.split('.');
  let target: Record<string, unknown> = copy;
  for (const key of keys.slice(0, -1)) target = target[key] as Record<string, unknown>;
  target[keys.at(-1)!] = value;
  return copy;
}

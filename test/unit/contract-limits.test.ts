import { describe, expect, it } from 'vitest';
import { eventJsonSchemas } from '../../shared/contracts/json-schema.js';
import * as limits from '../../shared/contracts/limits.js';
import { eventSchemas, MAX_ISSUES_DESCRIBED, parseEvent } from '../../shared/contracts/index.js';
import { IntegrationError } from '../../shared/resilience/errors.js';
import { customerCreated, kitStatus } from '../support/events.js';

const TENANTS = new Set(['ACME_BANK']);
const ALL_TYPES = Object.keys(eventSchemas) as never;

type Event = Record<string, unknown> & { data: Record<string, unknown> };

const parse = (body: unknown) => parseEvent(typeof body === 'string' ? body : JSON.stringify(body), ALL_TYPES, TENANTS);

const failure = (body: unknown): IntegrationError => {
  try {
    parse(body);
  } catch (error) {
    if (error instanceof IntegrationError) return error;
    throw error;
  }
  throw new Error('expected the event to be rejected');
};

const bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

/** `length` characters of `unit` repeated (a value at, or just over, a bound). */
const fill = (length: number, unit = 'x'): string => unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
const digits = (length: number): string => fill(length, '1234567890');

/** An e-mail address of exactly `length` characters that the contract's e-mail format accepts. */
function email(length: number): string {
  const local = fill(64, 'a');
  // Domain labels of 60 letters joined by dots, then the top-level domain.
  const labels = fill(length - local.length - '@'.length - '.com'.length, `${fill(60, 'b')}.`).replace(/\.$/, 'b');
  return `${local}@${labels}.com`;
}

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
function maximalCustomer(): Event {
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

function maximalCardControl(): Event {
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

const maximalAccount = (): Event => ({
  ...maximalEnvelope('bank.account.opened.v1'),
  data: { entityId: fill(limits.ENTITY_ID_MAX, 'C'), accountNo: digits(limits.ACCOUNT_NO_MAX), cardType: 'VIRTUAL', deliveryAddress: 'COMMUNICATION' },
});

const maximalKitStatus = (): Event => ({
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
function withValue(event: Event, path: string, value: unknown): Event {
  const copy = structuredClone(event);
  const keys = path.split('.');
  let target: Record<string, unknown> = copy;
  for (const key of keys.slice(0, -1)) target = target[key] as Record<string, unknown>;
  target[keys.at(-1)!] = value;
  return copy;
}

describe('contract bounds', () => {
  it('rejects the 200,000-character first name as InvalidEvent naming data.firstName, without echoing it', () => {
    const firstName = fill(200_000, 'Aadhu');
    const error = failure(customerCreated('C1', { firstName }));
    expect(error.category).toBe('InvalidEvent');
    expect(error.code).toBe('SCHEMA');
    expect(error.message).toBe(`data.firstName: at most ${limits.NAME_MAX} characters`);
  });

  it('accepts the largest event each contract admits, and it fits the body limit', () => {
    for (const event of [maximalCustomer(), maximalAccount(), maximalKitStatus(), maximalCardControl()]) {
      const body = JSON.stringify(event);
      expect(() => parse(body), event.type as string).not.toThrow();
      expect(bytes(body)).toBeLessThanOrEqual(limits.EVENT_BODY_MAX_BYTES);
    }
    // The figure quoted beside EVENT_BODY_MAX_BYTES.
    expect(bytes(JSON.stringify(maximalCustomer()))).toBeLessThan(22 * 1024);
  });

  // [contract, path, bound, a value one past the bound]
  const overLong: Array<[string, () => Event, string, number, (length: number) => unknown]> = [
    ['customer', maximalCustomer, 'id', limits.EVENT_ID_MAX, fill],
    ['customer', maximalCustomer, 'source', limits.EVENT_SOURCE_MAX, fill],
    ['customer', maximalCustomer, 'subject', limits.EVENT_SUBJECT_MAX, fill],
    ['customer', maximalCustomer, 'traceparent', limits.EXTENSION_ATTRIBUTE_MAX, fill],
    ['customer', maximalCustomer, 'data.entityId', limits.ENTITY_ID_MAX, fill],
    ['customer', maximalCustomer, 'data.firstName', limits.NAME_MAX, fill],
    ['customer', maximalCustomer, 'data.middleName', limits.NAME_MAX, fill],
    ['customer', maximalCustomer, 'data.lastName', limits.NAME_MAX, fill],
    ['customer', maximalCustomer, 'data.addresses.0.line1', limits.ADDRESS_LINE_MAX, fill],
    ['customer', maximalCustomer, 'data.addresses.1.line2', limits.ADDRESS_LINE_MAX, fill],
    ['customer', maximalCustomer, 'data.addresses.2.line3', limits.ADDRESS_LINE_MAX, fill],
    ['customer', maximalCustomer, 'data.addresses.0.city', limits.PLACE_NAME_MAX, fill],
    ['customer', maximalCustomer, 'data.addresses.0.state', limits.PLACE_NAME_MAX, fill],
    ['customer', maximalCustomer, 'data.addresses.0.country', limits.PLACE_NAME_MAX, fill],
    ['customer', maximalCustomer, 'data.addresses.0.district', limits.PLACE_NAME_MAX, fill],
    ['customer', maximalCustomer, 'data.addresses.0.pincode', limits.PINCODE_MAX, digits],
    ['customer', maximalCustomer, 'data.contacts.0.mobile', limits.MOBILE_MAX, digits],
    ['customer', maximalCustomer, 'data.contacts.0.email', limits.EMAIL_MAX, email],
    ['customer', maximalCustomer, 'data.kycDocuments.0.type', limits.DOCUMENT_TYPE_MAX, fill],
    ['customer', maximalCustomer, 'data.kycDocuments.0.number', limits.DOCUMENT_NUMBER_MAX, fill],
    ['customer', maximalCustomer, 'data.accounts.1.accountNo', limits.ACCOUNT_NO_MAX, digits],
    ['customer', maximalCustomer, 'data.accounts.0.type', limits.CODE_MAX, fill],
    ['customer', maximalCustomer, 'data.accounts.0.status', limits.CODE_MAX, fill],
    ['customer', maximalCustomer, 'data.accounts.0.schemeCode', limits.CODE_MAX, fill],
    ['account', maximalAccount, 'data.entityId', limits.ENTITY_ID_MAX, fill],
    ['account', maximalAccount, 'data.accountNo', limits.ACCOUNT_NO_MAX, digits],
    ['kit status', maximalKitStatus, 'time', limits.TIMESTAMP_MAX, (n) => `2026-11-20T10:00:00.${digits(n - 26)}+05:30`],
    ['kit status', maximalKitStatus, 'data.kitNo', limits.KIT_NO_MAX, digits],
    ['kit status', maximalKitStatus, 'data.occurredAt', limits.TIMESTAMP_MAX, (n) => `2026-11-20T10:00:00.${digits(n - 26)}+05:30`],
    ['kit status', maximalKitStatus, 'data.awb', limits.AWB_MAX, fill],
    ['kit status', maximalKitStatus, 'data.courier', limits.COURIER_NAME_MAX, fill],
    ['kit status', maximalKitStatus, 'data.location', limits.LOCATION_MAX, fill],
    ['kit status', maximalKitStatus, 'data.remarks', limits.REMARKS_MAX, fill],
    ['card control', maximalCardControl, 'data.mobile', limits.MOBILE_MAX, digits],
    ['card control', maximalCardControl, 'data.cardId', limits.CARD_ID_MAX, fill],
    ['card control', maximalCardControl, 'data.limits.0.currency', limits.CURRENCY_MAX, fill],
    ['card control', maximalCardControl, 'data.limits.0.perAtmTxnLimit', limits.AMOUNT_MAX, digits],
  ];
  for (const [contract, maximal, path, bound, value] of overLong) {
    it(`${contract}: ${path} one character past ${bound} is InvalidEvent naming the field and the bound`, () => {
      const over = value(bound + 1);
      expect(over).toHaveLength(bound + 1);
      const error = failure(withValue(maximal(), path, over));
      expect(error.category).toBe('InvalidEvent');
      expect(error.code).toBe('SCHEMA');
      expect(error.message).toBe(`${path}: at most ${bound} characters`);
    });
  }

  const overFull: Array<[string, () => Event, string, number, (event: Event) => unknown]> = [
    ['customer', maximalCustomer, 'data.addresses', limits.ADDRESSES_MAX, (e) => (e.data.addresses as unknown[])[0]],
    ['customer', maximalCustomer, 'data.contacts', limits.CONTACTS_MAX, (e) => (e.data.contacts as unknown[])[0]],
    ['customer', maximalCustomer, 'data.kycDocuments', limits.KYC_DOCUMENTS_MAX, (e) => (e.data.kycDocuments as unknown[])[0]],
    ['customer', maximalCustomer, 'data.accounts', limits.ACCOUNTS_MAX, (e) => ({ ...((e.data.accounts as object[])[1] as object), accountNo: '42' })],
    ['card control', maximalCardControl, 'data.limits', limits.CARD_LIMITS_MAX, (e) => (e.data.limits as unknown[])[0]],
  ];
  for (const [contract, maximal, path, bound, item] of overFull) {
    it(`${contract}: ${path} with ${bound + 1} items is InvalidEvent naming the list and the bound`, () => {
      const event = maximal();
      const list = path.split('.').reduce<unknown>((value, key) => (value as Record<string, unknown>)[key], event) as unknown[];
      const error = failure(withValue(event, path, [...list, item(event)]));
      expect(error.category).toBe('InvalidEvent');
      expect(error.message).toBe(`${path}: at most ${bound} items`);
    });
  }

  it('publishes a bound for every string and every list of every contract', () => {
    const unbounded: string[] = [];
    const visit = (node: unknown, where: string): void => {
      if (Array.isArray(node)) return node.forEach((item, i) => visit(item, `${where}[${i}]`));
      if (typeof node !== 'object' || node === null) return;
      const schema = node as Record<string, unknown>;
      const closed = 'const' in schema || 'enum' in schema;
      if (schema.type === 'string' && !closed && typeof schema.maxLength !== 'number') unbounded.push(where);
      if (schema.type === 'array' && typeof schema.maxItems !== 'number') unbounded.push(where);
      for (const [key, child] of Object.entries(schema)) visit(child, `${where}/${key}`);
    };
    for (const [type, schema] of Object.entries(eventJsonSchemas())) visit(schema, type);
    expect(unbounded).toEqual([]);
  });
});

describe('body size limit', () => {
  /** A valid event padded with JSON whitespace to exactly `size` bytes. */
  const paddedTo = (size: number): string => {
    const body = JSON.stringify(kitStatus('4240181595', 'DELIVERED', '2026-11-20T10:00:00Z'));
    return body + ' '.repeat(size - bytes(body));
  };

  it('accepts a body of exactly the limit', () => {
    expect(() => parse(paddedTo(limits.EVENT_BODY_MAX_BYTES))).not.toThrow();
  });

  it('rejects one byte more as InvalidEvent TOO_LARGE naming the size and the limit', () => {
    const error = failure(paddedTo(limits.EVENT_BODY_MAX_BYTES + 1));
    expect(error.category).toBe('InvalidEvent');
    expect(error.code).toBe('TOO_LARGE');
    expect(error.message).toBe(`body is ${limits.EVENT_BODY_MAX_BYTES + 1} bytes: at most ${limits.EVENT_BODY_MAX_BYTES} bytes`);
  });

  it('counts UTF-8 bytes, not characters', () => {
    // 'ந' (Tamil) is 3 bytes: fewer characters than the limit, more bytes.
    const body = JSON.stringify({ ...customerCreated('C1'), note: fill(Math.ceil(limits.EVENT_BODY_MAX_BYTES / 3) + 1, 'ந') });
    expect(body.length).toBeLessThan(limits.EVENT_BODY_MAX_BYTES);
    expect(failure(body).code).toBe('TOO_LARGE');
  });

  it('is checked before the body is parsed', () => {
    expect(failure(`{"specversion":${' '.repeat(limits.EVENT_BODY_MAX_BYTES)}`).code).toBe('TOO_LARGE');
  });
});

describe('rejection messages never carry a value', () => {
  const SECRET = 'S3CR3T-VALUE';
  const secret = (length: number) => fill(length, SECRET);

  it('names fields and bounds only, whatever is wrong with them', () => {
    const event = customerCreated('C1', {
      firstName: secret(101),
      middleName: 42,
      gender: SECRET,
      dob: SECRET,
      addresses: [{ category: 'PERMANENT', line1: secret(256), city: 'PUNE', state: 'MH', country: 'INDIA', pincode: SECRET }],
      contacts: [{ mobile: SECRET, email: `${SECRET}@` }],
      kycDocuments: [{ type: 'PAN', number: secret(41), expiry: SECRET }],
    });
    const error = failure({ ...event, time: SECRET, subject: secret(300), [SECRET.toLowerCase()]: { nested: SECRET } });
    expect(error.code).toBe('SCHEMA');
    expect(error.message).toContain('time:');
    expect(error.message.toLowerCase()).not.toContain(SECRET.toLowerCase());
    const data = failure(event);
    expect(data.message).toContain('data.firstName: at most 100 characters');
    expect(data.message).toContain('data.addresses.0.line1: at most 255 characters');
    expect(data.message).not.toContain(SECRET);
  });

  it('does not repeat an extension attribute name the producer made up', () => {
    const name = `x${fill(300, 'y')}`;
    const error = failure({ ...customerCreated('C1'), [name]: fill(limits.EXTENSION_ATTRIBUTE_MAX + 1) });
    expect(error.message).toBe(`(attribute): at most ${limits.EXTENSION_ATTRIBUTE_MAX} characters`);
    expect(failure({ ...customerCreated('C1'), traceparent: { nested: true } }).message).toBe('traceparent: Invalid input');
  });

  it(`names at most ${MAX_ISSUES_DESCRIBED} issues and counts the rest`, () => {
    const accounts = Array.from({ length: 25 }, (_, i) => ({ accountNo: String(i), type: fill(33), currency: 'INR' }));
    const error = failure(customerCreated('C1', { accounts }));
    expect(error.message.split('; ')).toHaveLength(MAX_ISSUES_DESCRIBED + 1);
    expect(error.message).toMatch(/; and 15 more$/);
  });
});

import { describe, expect, it } from 'vitest';
import { eventJsonSchemas } from '../../../shared/contracts/json-schema.js';
import * as limits from '../../../shared/contracts/limits.js';
import { customerCreated } from '../../support/events.js';
import { bytes, digits, email, failure, fill, parse, type Event } from './fixtures.js';
import { maximalAccount, maximalCardControl, maximalCustomer, maximalKitStatus, withValue } from './maximal-events.js';

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

// [contract, path, bound, one more item for the list]
const overFull: Array<[string, () => Event, string, number, (event: Event) => unknown]> = [
  ['customer', maximalCustomer, 'data.addresses', limits.ADDRESSES_MAX, (e) => (e.data.addresses as unknown[])[0]],
  ['customer', maximalCustomer, 'data.contacts', limits.CONTACTS_MAX, (e) => (e.data.contacts as unknown[])[0]],
  ['customer', maximalCustomer, 'data.kycDocuments', limits.KYC_DOCUMENTS_MAX, (e) => (e.data.kycDocuments as unknown[])[0]],
  ['customer', maximalCustomer, 'data.accounts', limits.ACCOUNTS_MAX, (e) => ({ ...((e.data.accounts as object[])[1] as object), accountNo: '42' })],
  ['card control', maximalCardControl, 'data.limits', limits.CARD_LIMITS_MAX, (e) => (e.data.limits as unknown[])[0]],
];

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

describe('contract bounds: strings', () => {
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
});

describe('contract bounds: lists', () => {
  for (const [contract, maximal, path, bound, item] of overFull) {
    it(`${contract}: ${path} with ${bound + 1} items is InvalidEvent naming the list and the bound`, () => {
      const event = maximal();
      const list = path.split('.').reduce<unknown>((value, key) => (value as Record<string, unknown>)[key], event) as unknown[];
      const error = failure(withValue(event, path, [...list, item(event)]));
      expect(error.category).toBe('InvalidEvent');
      expect(error.message).toBe(`${path}: at most ${bound} items`);
    });
  }
});

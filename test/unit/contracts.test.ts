import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventJsonSchemas, schemaFileName } from '../../shared/contracts/json-schema.js';
import { ACCOUNT_OPENED, accountOpenedEvent, eventSchemas, parseAcceptedEvent, parseEvent } from '../../shared/contracts/index.js';
import { IntegrationError } from '../../shared/resilience/errors.js';
import { accountOpened, customerCreated, kitStatus } from '../support/events.js';

const TENANTS = new Set(['ACME_BANK']);
const cardControl = (data: Record<string, unknown>) => ({
  ...accountOpened('x'),
  type: 'bank.card.control.requested.v1',
  data: { mobile: '919876543210', cardId: 'CID123', action: 'FREEZE', ...data },
});

const failure = (body: unknown): IntegrationError => {
  try {
    parseEvent(typeof body === 'string' ? body : JSON.stringify(body), Object.keys(eventSchemas) as never, TENANTS);
  } catch (error) {
    if (error instanceof IntegrationError) return error;
    throw error;
  }
  throw new Error('expected the event to be rejected');
};

describe('event contracts', () => {
  it('accepts a valid event of every type', () => {
    const valid = [
      customerCreated('C1'),
      customerCreated('C2', { card: { accountNo: '8642135', cardType: 'VIRTUAL', deliveryAddress: 'PERMANENT' } }),
      accountOpened('C1', '55555555555556782'),
      kitStatus('4240181595', 'DELIVERED', '2026-11-20T10:00:00+05:30'),
      cardControl({ action: 'BLOCK', reason: 'STOLEN' }),
      cardControl({ action: 'SET_LIMITS', limits: [{ currency: 'AED', isAtmLimitEnabled: true, perAtmTxnLimit: '80.00' }] }),
    ];
    for (const event of valid) expect(() => parseEvent(JSON.stringify(event), Object.keys(eventSchemas) as never, TENANTS)).not.toThrow();
  });

  it('keeps a 17-digit account number exact, as a string', () => {
    const parsed = parseEvent(JSON.stringify(accountOpened('C1', '55555555555556782')), ['bank.account.opened.v1'], TENANTS);
    expect(parsed.data.accountNo).toBe('55555555555556782');
  });

  const violations: Array<[string, unknown, string, string]> = [
    ['not JSON', '{"specversion":', 'BAD_JSON', ''],
    ['wrong specversion', { ...customerCreated('C1'), specversion: '0.3' }, 'SCHEMA', 'specversion'],
    ['time without offset', { ...customerCreated('C1'), time: '2026-11-20T10:00:00' }, 'SCHEMA', 'time'],
    ['missing tenant', { ...customerCreated('C1'), tenant: undefined }, 'SCHEMA', 'tenant'],
    ['unknown tenant', customerCreated('C1', {}, 'NOBODY_BANK'), 'UNKNOWN_TENANT', 'NOBODY_BANK'],
    ['unknown type', { ...customerCreated('C1'), type: 'bank.customer.deleted.v1' }, 'UNEXPECTED_TYPE', 'bank.customer.deleted.v1'],
    ['no PERMANENT address', customerCreated('C1', { addresses: [{ category: 'COMMUNICATION', line1: 'x', city: 'c', state: 's', country: 'IN', pincode: '600032' }] }), 'SCHEMA', 'PERMANENT'],
    ['no mobile', customerCreated('C1', { contacts: [] }), 'SCHEMA', 'contacts'],
    ['no KYC document', customerCreated('C1', { kycDocuments: [] }), 'SCHEMA', 'kycDocuments'],
    ['no account', customerCreated('C1', { accounts: [] }), 'SCHEMA', 'accounts'],
    ['bad gender', customerCreated('C1', { gender: 'M' }), 'SCHEMA', 'gender'],
    ['bad dob', customerCreated('C1', { dob: '01-06-1978' }), 'SCHEMA', 'dob'],
    ['numeric accountNo', customerCreated('C1', { accounts: [{ accountNo: 8642135, type: 'SAVING', currency: 'INR' }] }), 'SCHEMA', 'accountNo'],
    ['insta-card for another account', customerCreated('C1', { card: { accountNo: '1', cardType: 'PHYSICAL', deliveryAddress: 'PERMANENT' } }), 'SCHEMA', 'card.accountNo'],
    ['bad card type', accountOpened('C1', '1', 'PLASTIC'), 'SCHEMA', 'cardType'],
    ['bad delivery status', kitStatus('1', 'LOST', '2026-11-20T10:00:00Z'), 'SCHEMA', 'status'],
    ['occurredAt not RFC 3339', kitStatus('1', 'DELIVERED', '20/11/2026'), 'SCHEMA', 'occurredAt'],
    ['BLOCK without reason', cardControl({ action: 'BLOCK' }), 'SCHEMA', 'reason'],
    ['SET_LIMITS without limits', cardControl({ action: 'SET_LIMITS' }), 'SCHEMA', 'limits'],
    ['negative limit', cardControl({ action: 'SET_LIMITS', limits: [{ currency: 'AED', perAtmTxnLimit: '-5' }] }), 'SCHEMA', 'perAtmTxnLimit'],
  ];
  for (const [name, body, code, mentions] of violations) {
    it(`rejects ${name} as InvalidEvent ${code}`, () => {
      const error = failure(body);
      expect(error.category).toBe('InvalidEvent');
      expect(error.code).toBe(code);
      expect(error.message).toContain(mentions);
    });
  }

  it('publishes JSON Schemas that match the zod source (run `npm run contracts` after a change)', () => {
    for (const [type, schema] of Object.entries(eventJsonSchemas())) {
      const published = JSON.parse(readFileSync(join(import.meta.dirname, '../../docs/contracts', schemaFileName(type)), 'utf8'));
      expect(published, `docs/contracts/${schemaFileName(type)} is stale`).toEqual(schema);
    }
  });
});

describe('parsing with the schemas a worker hands in', () => {
  const accepted = { [ACCOUNT_OPENED]: accountOpenedEvent };
  const rejection = (body: unknown): IntegrationError => {
    try {
      parseAcceptedEvent(JSON.stringify(body), accepted, TENANTS);
    } catch (error) {
      if (error instanceof IntegrationError) return error;
      throw error;
    }
    throw new Error('expected the event to be rejected');
  };

  it("parses an event of an accepted type with that type's schema", () => {
    expect(parseAcceptedEvent(JSON.stringify(accountOpened('C1', '55555555555556782')), accepted, TENANTS).data.accountNo).toBe('55555555555556782');
  });

  it('refuses any other type, naming the accepted ones, even one whose contract exists', () => {
    const error = rejection(customerCreated('C1'));
    expect(error.code).toBe('UNEXPECTED_TYPE');
    expect(error.message).toBe('event type bank.customer.created.v1 is not handled here (accepted: bank.account.opened.v1)');
  });

  it('refuses a type that names a property every object has', () => {
    for (const type of ['constructor', 'toString', '__proto__']) expect(rejection({ ...accountOpened('C1'), type }).code).toBe('UNEXPECTED_TYPE');
  });
});

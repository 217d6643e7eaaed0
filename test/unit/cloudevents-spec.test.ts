import { CloudEvent } from 'cloudevents';
import { describe, expect, it } from 'vitest';
import { eventSchemas, parseEvent, type EventType } from '../../shared/contracts/index.js';
import { IntegrationError } from '../../shared/resilience/errors.js';
import { accountOpened, cardControl, customerCreated, kitStatus } from '../support/events.js';

/** What the CloudEvents 1.0 spec and its JSON format allow, and the one rule for mobile numbers. */

const TENANTS = new Set(['ACME_BANK']);
const TYPES = Object.keys(eventSchemas) as EventType[];
const parse = (body: unknown) => parseEvent(JSON.stringify(body), TYPES, TENANTS);
const rejection = (body: unknown): IntegrationError => {
  try {
    parse(body);
  } catch (error) {
    if (error instanceof IntegrationError) return error;
    throw error;
  }
  throw new Error('expected the event to be rejected');
};

describe('CloudEvents 1.0 envelopes the spec allows', () => {
  it.each(['application/json', 'application/json; charset=utf-8', 'application/json;charset=UTF-8', 'Application/JSON', 'application/cloudevents-data+json'])(
    'datacontenttype %s',
    (datacontenttype) => {
      expect(() => parse({ ...accountOpened('C1'), datacontenttype })).not.toThrow();
    },
  );

  it.each(['text/plain', 'application/xml', 'application/jsonp', 'application/json\u0000'])('refuses datacontenttype %s', (datacontenttype) => {
    expect(rejection({ ...accountOpened('C1'), datacontenttype }).message).toContain('datacontenttype');
  });

  it.each(['2026-12-06t01:00:00z', '2026-12-06T01:00:00z', '2026-12-06t01:00:00+05:30', '2026-12-06T01:00:00-00:00', '2026-12-06T01:00:00.5+14:00', '2026-12-06T01:00:00-12:00'])(
    'time %s, kept with T and Z upper-cased',
    (time) => {
      const parsed = parse({ ...accountOpened('C1'), time });
      expect(parsed.time).toBe(time.toUpperCase());
      expect(Number.isNaN(Date.parse(parsed.time))).toBe(false);
    },
  );

  it('occurredAt in lower case is the same instant', () => {
    const parsed = parse(kitStatus('4240181595', 'DELIVERED', '2026-12-06t01:00:00z')) as { data: { occurredAt: string } };
    expect(parsed.data.occurredAt).toBe('2026-12-06T01:00:00Z');
  });

  it.each(['2026-12-06T01:00:00', '2026-12-06 01:00:00Z', '2026-12-06T01:00Z', '2026-02-30T01:00:00Z', '2026-12-06T25:00:00Z', '2026-12-06T01:00:00+0530'])('refuses time %s', (time) => {
    expect(rejection({ ...accountOpened('C1'), time }).message).toContain('time: must be an RFC 3339 date-time');
  });

  it('lets unknown extension attributes through, whatever their scalar type', () => {
    const event = { ...accountOpened('C1'), traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', partitionkey: 'C1', sequence: 42, sampled: true, dataref: null };
    expect(() => parse(event)).not.toThrow();
  });
});

describe('event ids are SQS deduplication ids', () => {
  it.each(['2caec15c-441f-4461-a923-6e35436b22e5', '01JEQ4Z6T3V8', 'cbs:2026/000123#1', '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~', 'x'.repeat(128)])('accepts %s', (id) => {
    expect(() => parse({ ...accountOpened('C1'), id })).not.toThrow();
  });

  it.each(['', 'with space', 'tab\there', 'é-accent', 'emoji-😀', 'x'.repeat(129)])('refuses %j', (id) => {
    expect(rejection({ ...accountOpened('C1'), id }).message).toMatch(/^id: /);
  });
});

describe('one rule for mobile numbers in every contract', () => {
  it.each(['919876543210', '+919876543210'])('a card control for %s reaches Card91 as digits only', (mobile) => {
    const parsed = parse(cardControl({ mobile, action: 'FREEZE' })) as { data: { mobile: string } };
    expect(parsed.data.mobile).toBe('919876543210');
  });

  it.each(['919876543210', '+919876543210'])('a customer contact %s is kept as digits only', (mobile) => {
    const parsed = parse(customerCreated('C1', { contacts: [{ mobile }] })) as { data: { contacts: Array<{ mobile: string }> } };
    expect(parsed.data.contacts[0]!.mobile).toBe('919876543210');
  });

  it.each(['98765', '++919876543210', '91 98765 43210', '+'.padEnd(17, '9')])('refuses %s alike in both contracts', (mobile) => {
    expect(rejection(cardControl({ mobile, action: 'FREEZE' })).message).toContain('data.mobile');
    expect(rejection(customerCreated('C1', { contacts: [{ mobile }] })).message).toContain('data.contacts.0.mobile');
  });
});

describe('events built with the official CloudEvents SDK', () => {
  it('parse as they serialize, structured mode, extensions and parameters included', () => {
    const { data } = cardControl({ mobile: '+919876543210', action: 'FREEZE' });
    const event = new CloudEvent({
      type: 'bank.card.control.requested.v1',
      source: 'urn:acme-bank:channels',
      datacontenttype: 'application/json; charset=utf-8',
      tenant: 'ACME_BANK',
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      data,
    });
    const parsed = parseEvent(JSON.stringify(event), ['bank.card.control.requested.v1'], TENANTS);
    expect(parsed.id).toBe(event.id);
    expect(parsed.data.mobile).toBe('919876543210');
  });
});

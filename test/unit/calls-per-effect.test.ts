/** DCMS calls per effect in the local run's summary: every request the workers sent over what DCMS holds because of the run. */
import { describe, expect, it } from 'vitest';
import { accountOpened, customerCreated, kitStatus, type Person } from '../../local/demo/events.js';
import { Accounting, type AccountingResult } from '../../local/stack/report/accounting.js';
import type { CallCount } from '../../local/stack/report/call-log.js';
import { callsPerEffect } from '../../local/stack/report/calls-per-effect.js';
import { buildSummary, type SummaryInput } from '../../local/stack/report/summary.js';
import { renderSummary } from '../../local/stack/report/summary-table.js';
import type { DcmsSandboxStats, TenantHoldings } from '../../sandbox/dcms/server.js';
import { routeLine } from '../../shared/tooling/routing.js';

const AT = new Date('2026-11-20T10:00:00Z');
const person = (entityId: string): Person => ({ entityId, firstName: 'Aadhu', lastName: 'Chandran', gender: 'FEMALE', dob: '1978-06-01', mobile: '9876543210', city: 'CHENNAI', accountNo: '8642135' });
const call = (endpoint: string, outcome: string, calls: number): CallCount => ({ endpoint, outcome, calls, p50Ms: 200, p95Ms: 300 });

/** 20 requests: writes, the reads before a first card, a retried 500 and a 429 (every request that left counts). */
const CALLS = [
  call('register', '200', 6),
  call('register', '500', 1),
  call('fetchKits', '200', 4),
  call('registerCard', '200', 4),
  call('registerCard', '429:rate.limit.exceeded', 1),
  call('deliveryStatus', '200', 4),
];

/** A sandbox's stats and what it holds per tenant, as the run's summary reads them. */
const sandboxStats = (holdings: Record<string, TenantHoldings>): { sandbox: DcmsSandboxStats; sandboxHoldings: Record<string, TenantHoldings> } => ({
  sandbox: {
    calls: {},
    tenants: Object.fromEntries(Object.entries(holdings).map(([tenant, { customers, kits }]) => [tenant, { customers, kits }])),
    duplicateCards: 0,
    deliveryUpdates: Object.values(holdings).reduce((sum, t) => sum + t.deliveryStatuses, 0),
    deliveryKitFailures: 0,
    pendingCalls: 0,
  },
  sandboxHoldings: holdings,
});

const summaryOf = (input: { dcmsCalls: CallCount[]; sandbox?: ReturnType<typeof sandboxStats>; accounting?: AccountingResult }) => {
  const base: SummaryInput = {
    accounting: input.accounting ?? new Accounting().settle(new Map()),
    startedAt: AT,
    bootedAt: AT,
    firstSentAt: AT,
    drainedAt: AT,
    dcmsUrl: 'http://dcms',
    dcmsCalls: input.dcmsCalls,
    card91Url: 'http://card91',
    card91Calls: [],
    dynamo: [],
    logFile: '/tmp/f.log',
  };
  return buildSummary({ ...base, ...input.sandbox });
};

describe('DCMS calls per effect', () => {
  it('divides every call by the effects the DCMS sandbox holds, over all tenants, in the report and under the DCMS calls table', () => {
    const sandbox = sandboxStats({ ACME_BANK: { customers: 5, kits: 6, deliveryStatuses: 3 }, GLOBEX_BANK: { customers: 1, kits: 0, deliveryStatuses: 1 } });
    const summary = summaryOf({ dcmsCalls: CALLS, sandbox });
    expect(summary.dcms).toMatchObject({ totalCalls: 20, effects: { customers: 6, kits: 6, deliveryStatuses: 4 }, effectsCountedBy: 'sandbox', callsPerEffect: 1.25 });
    // The fields external tools read are still there.
    expect(summary.dcms).toMatchObject({ url: 'http://dcms', calls: CALLS, sandbox: { duplicateCards: 0, deliveryUpdates: 4 } });
    const printed = renderSummary(summary, { color: false });
    expect(printed).toContain('DCMS calls per effect: 1.25 (20 calls, 16 effects: 6 customers, 6 kits, 4 delivery statuses; effects counted in the DCMS sandbox)');
    expect(printed.indexOf('DCMS calls per effect')).toBeGreaterThan(printed.indexOf('DCMS calls: endpoint'));
    // Registrations alone: every call but the delivery statuses, over the customers and cards.
    expect(summary.dcms.registrations).toEqual({ calls: 16, effects: 12, callsPerEffect: 1.33 });
    expect(printed).toContain('registrations alone: 1.33 (16 calls for 12 customers and cards)');
  });

  it('is n/a, not a division by zero, when the run left nothing in DCMS', () => {
    const summary = summaryOf({ dcmsCalls: [call('viewCustomer', '400:CUS001', 3)], sandbox: sandboxStats({}) });
    expect(summary.dcms).toMatchObject({ totalCalls: 3, effects: { customers: 0, kits: 0, deliveryStatuses: 0 }, callsPerEffect: null });
    expect(JSON.parse(JSON.stringify(summary)).dcms.callsPerEffect).toBeNull();
    expect(renderSummary(summary, { color: false })).toContain('DCMS calls per effect: n/a (3 calls, 0 effects: 0 customers, 0 kits, 0 delivery statuses;');
    expect(renderSummary(summaryOf({ dcmsCalls: [] }), { color: false })).toContain('DCMS calls per effect: n/a (0 calls, 0 effects');
  });

  it('falls back to what the workers reported when there is no sandbox (DCMS_BASE_URL), and says so', () => {
    const accounting = new Accounting();
    const events = [
      customerCreated('ACME_BANK', person('C1'), { cardType: 'PHYSICAL' }), // succeeded: a customer and its insta-card
      customerCreated('ACME_BANK', person('C2')), // reconciled after a lost answer: a customer
      accountOpened('ACME_BANK', 'C2', '8642135', 'VIRTUAL'), // succeeded: a kit
      accountOpened('ACME_BANK', 'C1', '8642135', 'PHYSICAL'), // duplicate: its effect was the first delivery's
      kitStatus('ACME_BANK', 'K1', 'DELIVERED', AT), // succeeded: a delivery status
      kitStatus('ACME_BANK', 'K2', 'DELIVERED', AT), // stale: nothing applied
      accountOpened('ACME_BANK', 'C3', '8642135', 'VIRTUAL'), // dead-lettered
    ];
    const outcomes = ['succeeded', 'reconciled', 'succeeded', 'duplicate', 'succeeded', 'stale', 'deadLettered'] as const;
    const messages = events.map((event) => routeLine(JSON.stringify(event), new Set(['coreBanking', 'courier'] as const)));
    accounting.recordSent(messages.map((message, index) => ({ message, index, messageId: `m${index}` })));
    messages.forEach((message, index) => accounting.observe(message.queue, { messageId: `m${index}`, eventType: message.eventType ?? '', outcome: outcomes[index]! }));
    const summary = summaryOf({
      dcmsCalls: [call('register', '200', 2), call('fetchKits', '200', 1), call('registerCard', '200', 1), call('deliveryStatus', '200', 1)],
      accounting: accounting.settle(new Map()),
    });
    expect(summary.dcms).toMatchObject({ totalCalls: 5, effects: { customers: 2, kits: 2, deliveryStatuses: 1 }, effectsCountedBy: 'workers', callsPerEffect: 1 });
    expect(summary.dcms.sandbox).toBeUndefined();
    expect(summary.dcms.registrations).toEqual({ calls: 4, effects: 4, callsPerEffect: 1 });
    expect(renderSummary(summary, { color: false })).toContain(
      'DCMS calls per effect: 1.00 (5 calls, 5 effects: 2 customers, 2 kits, 1 delivery status; effects as the workers reported them: no sandbox to count them in)',
    );
  });

  it('rounds to two decimals', () => {
    expect(callsPerEffect(4, { customers: 3, kits: 0, deliveryStatuses: 0 })).toBe(1.33);
    expect(callsPerEffect(2_001, { customers: 1_000, kits: 1_000, deliveryStatuses: 0 })).toBe(1);
    expect(callsPerEffect(0, { customers: 0, kits: 0, deliveryStatuses: 0 })).toBeNull();
  });
});

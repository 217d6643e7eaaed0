import { afterEach, describe, expect, it, vi } from 'vitest';
import { DLQ_ATTRIBUTES } from '../../shared/messaging/dead-letter.js';
import { issueKits } from '../support/dcms-fixtures.js';
import { kitStatus } from '../support/events.js';
import { startWorkerHarness, type WorkerHarness } from '../support/worker-harness.js';

const attribute = (message: { MessageAttributes?: Record<string, { StringValue?: string }> }, name: string) => message.MessageAttributes?.[name]?.StringValue;
const at = (minute: number) => `2026-11-20T10:${String(minute).padStart(2, '0')}:00Z`;

describe('courier worker', () => {
  let harness: WorkerHarness;
  afterEach(async () => harness?.close());

  it('dead-letters only the unknown kits with MCC007, applies the rest, with one DCMS call per (tenant, status)', async () => {
    harness = await startWorkerHarness('courier');
    const kits = await issueKits(harness.dcms.url, 4);
    const events = [
      kitStatus(kits[0]!, 'IN_TRANSIT', at(1)),
      kitStatus(kits[1]!, 'IN_TRANSIT', at(1)),
      kitStatus('9999999991', 'IN_TRANSIT', at(1)),
      kitStatus(kits[2]!, 'DELIVERED', at(2)),
      kitStatus('9999999992', 'DELIVERED', at(2)),
      kitStatus(kits[3]!, 'RETURNED', at(3)),
    ];
    await harness.send(events);
    await harness.drain();

    const dead = await harness.deadLetters();
    expect(dead.map((m) => JSON.parse(m.Body!).data.kitNo).sort()).toEqual(['9999999991', '9999999992']);
    expect(dead.every((m) => attribute(m, DLQ_ATTRIBUTES.code) === 'MCC007' && attribute(m, DLQ_ATTRIBUTES.category) === 'Permanent')).toBe(true);
    expect(harness.dcms.kit('ACME_BANK', kits[2]!)?.deliveryStatus).toBe('DELIVERED');
    expect(harness.dcms.kit('ACME_BANK', kits[3]!)?.deliveryStatus).toBe('RETURNED');
    // All six arrive within one batching window: one call per status group.
    expect(harness.dcms.stats().calls['/inventory/update/deliveryStatus']).toEqual({ '200': 3 });
  });

  it('skips a status older than the last one applied, and a duplicate, without calling DCMS again', async () => {
    harness = await startWorkerHarness('courier');
    const [kit] = await issueKits(harness.dcms.url, 1);
    const delivered = kitStatus(kit!, 'DELIVERED', at(30));
    await harness.send([delivered]);
    await harness.drain();
    await harness.send([kitStatus(kit!, 'IN_TRANSIT', at(10)), delivered]);
    await harness.drain();

    expect(harness.dcms.kit('ACME_BANK', kit!)?.deliveryStatus).toBe('DELIVERED');
    expect(harness.dcms.stats().calls['/inventory/update/deliveryStatus']).toEqual({ '200': 1 });
    expect(await harness.deadLetters()).toHaveLength(0);
  });

  it('sends only the newest status of a kit when one batch holds its whole stream out of order', async () => {
    harness = await startWorkerHarness('courier');
    const [kit] = await issueKits(harness.dcms.url, 1);
    await harness.send([kitStatus(kit!, 'DELIVERED', at(50)), kitStatus(kit!, 'IN_TRANSIT', at(20)), kitStatus(kit!, 'IN_TRANSIT', at(40))]);
    await harness.drain();
    const sandboxKit = harness.dcms.kit('ACME_BANK', kit!);
    expect(sandboxKit?.deliveryStatus).toBe('DELIVERED');
    expect(harness.dcms.stats().calls['/inventory/update/deliveryStatus']).toEqual({ '200': 1 });
  });
});

describe('courier worker, DCMS outages', () => {
  let harness: WorkerHarness;
  afterEach(async () => harness?.close());

  it('keeps a kit waiting through a DCMS outage shorter than the retry budget, then applies it', async () => {
    harness = await startWorkerHarness('courier', { sandbox: { faults: { errorRate: 1, endpoints: ['/inventory/update/deliveryStatus'] } } });
    const [kit] = await issueKits(harness.dcms.url, 1);
    await harness.send([kitStatus(kit!, 'IN_TRANSIT', at(5))]);
    const draining = harness.drain(30_000);
    // The outage lasts until the event has been refused and handed back to SQS at least twice.
    const refusals = () => Object.entries(harness.dcms.stats().calls['/inventory/update/deliveryStatus'] ?? {}).reduce((sum, [status, count]) => (status === '200' ? sum : sum + count), 0);
    await vi.waitFor(() => expect(refusals()).toBeGreaterThanOrEqual(2), { timeout: 20_000, interval: 50 });
    harness.dcms.setFaults({});
    await draining;
    expect(await harness.deadLetters()).toHaveLength(0);
    expect(harness.dcms.kit('ACME_BANK', kit!)?.deliveryStatus).toBe('IN_TRANSIT');
  });

  it('dead-letters as Exhausted, with the last category, once the retry budget is spent', async () => {
    harness = await startWorkerHarness('courier', { sandbox: { faults: { errorRate: 1, endpoints: ['/inventory/update/deliveryStatus'] } }, env: { RETRY_BUDGET_SECONDS: '3' } });
    const [kit] = await issueKits(harness.dcms.url, 1);
    await harness.send([kitStatus(kit!, 'IN_TRANSIT', at(5))]);
    await harness.drain(30_000);
    const dead = await harness.deadLetters();
    expect(dead).toHaveLength(1);
    expect(attribute(dead[0]!, DLQ_ATTRIBUTES.category)).toBe('Exhausted');
    expect(attribute(dead[0]!, DLQ_ATTRIBUTES.originalCategory)).toBe('Transient');
    expect(attribute(dead[0]!, DLQ_ATTRIBUTES.message)).toMatch(/retry budget 3 s/);
  });
});

describe('courier worker, concurrent instances', () => {
  let harness: WorkerHarness;
  afterEach(async () => harness?.close());

  it('keeps a kit quiet after a send whose answer was lost, so its late commit cannot land after a newer scan', async () => {
    harness = await startWorkerHarness('courier', { instances: 2, env: { SETTLE_WINDOW_SECONDS: '6' } });
    const [kit] = await issueKits(harness.dcms.url, 1);
    // DCMS applies the IN_TRANSIT 4 s after receiving it; the client gives up after 2 s.
    harness.dcms.setFaults({ slowCommitMs: 4_000, script: [{ endpoint: '/inventory/update/deliveryStatus', fault: 'slowCommit', times: 1 }] });
    await harness.send([kitStatus(kit!, 'IN_TRANSIT', at(20))]);
    const draining = harness.drain(40_000);
    await expect.poll(() => harness.dcms.stats().calls['/inventory/update/deliveryStatus']?.['fault:slowCommit'], { timeout: 5_000 }).toBe(1);
    await harness.send([kitStatus(kit!, 'DELIVERED', at(40))]);
    await draining;
    await expect.poll(() => harness.dcms.stats().pendingCalls, { timeout: 10_000 }).toBe(0);
    expect(
      harness.dcms
        .kit('ACME_BANK', kit!)
        ?.deliveryHistory.map((change) => change.status)
        .at(-1),
    ).toBe('DELIVERED');
    expect(await harness.deadLetters()).toHaveLength(0);
  });

  it('holds a newer scan back while another instance is sending for the kit, then sends it last', async () => {
    harness = await startWorkerHarness('courier', { instances: 2 });
    const [kit] = await issueKits(harness.dcms.url, 1);
    harness.dcms.setFaults({ latencyMs: 1_500, endpoints: ['/inventory/update/deliveryStatus'] });
    await harness.send([kitStatus(kit!, 'IN_TRANSIT', at(20))]);
    const draining = harness.drain(30_000);
    // The older scan's send is in flight on one instance: the kit is locked to it.
    await expect.poll(() => harness.dcms.stats().pendingCalls, { timeout: 10_000, interval: 20 }).toBe(1);
    expect(
      await harness.runtime.ledger.claimNewest({ tenant: 'ACME_BANK', kitNo: kit!, status: 'DELIVERED', occurredAt: '2026-11-20T10:40:00.000Z' }, { owner: 'probe', until: Date.now() + 60_000 }),
    ).toMatchObject({ claim: 'busy' });
    await harness.send([kitStatus(kit!, 'DELIVERED', at(40))]);
    await draining;
    expect(harness.dcms.kit('ACME_BANK', kit!)?.deliveryHistory.map((change) => change.status)).toEqual(['IN_TRANSIT', 'DELIVERED']);
  });
});

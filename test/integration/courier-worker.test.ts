import { afterEach, describe, expect, it } from 'vitest';
import { DcmsClient } from '../../shared/dcms/client.js';
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

  it('retries a DCMS outage within limits, lets SQS redeliver, then dead-letters as Exhausted after maxReceiveCount', async () => {
    harness = await startWorkerHarness('courier', { sandbox: { faults: { errorRate: 1, endpoints: ['/inventory/update/deliveryStatus'] } } });
    const [kit] = await issueKits(harness.dcms.url, 1);
    await harness.send([kitStatus(kit!, 'IN_TRANSIT', at(5))]);
    await harness.drain(30_000);
    const dead = await harness.deadLetters();
    expect(dead).toHaveLength(1);
    expect(attribute(dead[0]!, DLQ_ATTRIBUTES.category)).toBe('Exhausted');
    expect(attribute(dead[0]!, DLQ_ATTRIBUTES.originalCategory)).toBe('Transient');
    expect(attribute(dead[0]!, DLQ_ATTRIBUTES.attempts)).toBe('5');
    const calls = harness.dcms.stats().calls['/inventory/update/deliveryStatus'] ?? {};
    const total = Object.values(calls).reduce((a, b) => a + b, 0);
    // Up to 4 attempts per receive (1 + 3 retries), 5 receives; the breaker may cut some short.
    expect(total).toBeGreaterThanOrEqual(5);
    expect(total).toBeLessThanOrEqual(20);
  });
});

describe('courier worker, concurrent instances', () => {
  let harness: WorkerHarness;
  afterEach(async () => harness?.close());

  it('sends the newer status again when another instance recorded it while this call was in flight', async () => {
    harness = await startWorkerHarness('courier');
    const [kit] = await issueKits(harness.dcms.url, 1);
    // Another instance has already applied DELIVERED (10:40) to DCMS; its ledger write lands while our older call is in flight.
    await new DcmsClient({ baseUrl: harness.dcms.url }).updateDeliveryStatus('ACME_BANK', [{ deliveryStatus: 'DELIVERED', kitNo: [kit!] }]);
    harness.dcms.setFaults({ latencyMs: 1_500, endpoints: ['/inventory/update/deliveryStatus'] });
    await harness.send([kitStatus(kit!, 'IN_TRANSIT', at(20))]);
    const draining = harness.drain(30_000);
    await new Promise((resolve) => setTimeout(resolve, 900));
    await harness.runtime.ledger.applyStatus('ACME_BANK', kit!, 'DELIVERED', '2026-11-20T10:40:00.000Z');
    await draining;
    expect(harness.dcms.kit('ACME_BANK', kit!)?.deliveryStatus).toBe('DELIVERED');
  });
});

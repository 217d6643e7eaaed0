/** The webhook over HTTP turning each courier format (functions/courier-webhook/mapping) into events on the courier queue. */
import { describe, expect, it } from 'vitest';
import { COURIER_KIT_STATUS } from '../../../shared/contracts/index.js';
import { blueDartBody, blueDartScan, genericEvent } from './payloads.js';
import { useWebhook } from './webhook-setup.js';

const startWebhook = useWebhook();

describe('courier webhook over HTTP: the generic format', () => {
  it('accepts one signed generic event: 202 with its id, one CloudEvent for the courier’s tenant on the queue', async () => {
    const webhook = await startWebhook();
    const answer = await webhook.post('acme-courier', genericEvent('4240181595'));
    expect(answer.status).toBe(202);
    expect(answer.body).toEqual({ accepted: 1, eventIds: [expect.any(String)] });
    const [queued, ...rest] = await webhook.queued();
    expect(rest).toHaveLength(0);
    expect(queued).toMatchObject({
      id: (answer.body.eventIds as string[])[0],
      type: COURIER_KIT_STATUS,
      tenant: 'GLOBEX_BANK',
      source: 'urn:courier:acme-courier',
      time: '2026-04-15T11:11:00+05:30',
      data: { kitNo: '4240181595', status: 'DELIVERED', occurredAt: '2026-04-15T11:11:00+05:30', awb: 'AWB4240181595', courier: 'acme-courier', location: 'CHENNAI' },
    });
  });
});

describe('courier webhook over HTTP: courier formats', () => {
  it('accepts a Blue Dart push: every scan of every shipment becomes an event, with a deterministic id', async () => {
    const webhook = await startWebhook();
    const shipments = [
      { kitNo: '41063130', waybillNo: '32592631260', scans: [blueDartScan('DL', '000', '15-Apr-2026', '11:11'), blueDartScan('UD', 9, '13-Apr-2026', '10:07')] },
      { kitNo: '41063131', waybillNo: '32592631261', scans: [blueDartScan('RT', '021', '16-Apr-2026', '09:30'), blueDartScan('RT', 'BRC', '18-Apr-2026', '16:45')] },
    ];
    const first = await webhook.post('bluedart', blueDartBody(shipments));
    expect(first.status).toBe(202);
    expect(first.body.accepted).toBe(4);
    const queued = await webhook.queued();
    expect(queued.map((e) => [e.data.kitNo, e.data.status, e.data.occurredAt]).sort()).toEqual([
      ['41063130', 'DELIVERED', '2026-04-15T11:11:00+05:30'],
      ['41063130', 'IN_TRANSIT', '2026-04-13T10:07:00+05:30'],
      ['41063131', 'BANK', '2026-04-18T16:45:00+05:30'],
      ['41063131', 'RETURNED', '2026-04-16T09:30:00+05:30'],
    ]);
    expect(queued.every((e) => e.tenant === 'ACME_BANK' && !JSON.stringify(e).includes('PRASENJIT'))).toBe(true);

    // The same push again (a retry of a token integration) is a replay: the same ids, nothing queued.
    const retried = await webhook.post('bluedart', blueDartBody(shipments));
    expect([retried.status, retried.body.eventIds]).toEqual([200, first.body.eventIds]);
    // The history again with one more scan: the old scans keep their ids.
    const longer = await webhook.post('bluedart', blueDartBody([{ ...shipments[0]!, scans: [...shipments[0]!.scans, blueDartScan('UD', '002', '15-Apr-2026', '08:00')] }, shipments[1]!]));
    expect(longer.status).toBe(202);
    expect(longer.body.eventIds).toEqual(expect.arrayContaining(first.body.eventIds as string[]));
    expect(await webhook.queued()).toHaveLength(5);
  });

  it('accepts a Delhivery push with its Authorization token and a Shiprocket push with its x-api-key', async () => {
    const webhook = await startWebhook();
    const delhivery = await webhook.post('delhivery', {
      Shipment: { AWB: '1234567890123', ReferenceNo: '4240181650', Status: { Status: 'RTO', StatusType: 'DL', StatusDateTime: '2026-04-15T11:11:00.556', StatusLocation: 'Chennai' } },
    });
    expect(delhivery.status).toBe(202);
    const shiprocket = await webhook.post('shiprocket', { awb: '19041424751540', order_id: '4240181651', shipment_status_id: 7, current_timestamp: '2026-04-15 12:00:00', is_return: 0 });
    expect(shiprocket.status).toBe(202);
    const queued = await webhook.queued();
    expect(queued.map((e) => [e.tenant, e.data.courier, e.data.kitNo, e.data.status, e.data.occurredAt]).sort()).toEqual([
      ['ACME_BANK', 'delhivery', '4240181650', 'RETURNED', '2026-04-15T11:11:00.556+05:30'],
      ['GLOBEX_BANK', 'shiprocket', '4240181651', 'DELIVERED', '2026-04-15T12:00:00+05:30'],
    ]);
  });
});

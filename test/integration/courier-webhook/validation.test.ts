/** Events that do not match their courier's format, or claim an impossible time: 400 naming each field. */
import { describe, expect, it } from 'vitest';
import { blueDartBody, blueDartScan, genericEvent } from './payloads.js';
import { useWebhook } from './webhook-setup.js';

const startWebhook = useWebhook();

describe('courier webhook over HTTP: validation', () => {
  it('answers a schema violation with 400 listing each bad field', async () => {
    const webhook = await startWebhook();
    const answer = await webhook.post('acme-courier', { events: [{ ...genericEvent('42-40'), status: undefined }, genericEvent('4240181603', 'DELIVERED', '15/04/2026 11:11')] });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe('invalid_request');
    expect((answer.body.issues as Array<{ path: string }>).map((i) => i.path).sort()).toEqual(['events[0].kitNo', 'events[0].status', 'events[1].occurredAt']);
    const blueDart = await webhook.post('bluedart', blueDartBody([{ kitNo: '41063130', waybillNo: '1', scans: [blueDartScan('DL', '000', '31-Feb-2026', '25:00')] }]));
    expect(blueDart.status).toBe(400);
    expect(blueDart.body.issues).toEqual([
      { path: 'statustracking[0].Shipment.Scans.ScanDetail[0].ScanDate', message: 'ScanDate must be a date like 15-Apr-2024' },
      { path: 'statustracking[0].Shipment.Scans.ScanDetail[0].ScanTime', message: 'ScanTime must be a time like 11:11 (24-hour)' },
    ]);
    const tooMany = await webhook.post('acme-courier', { events: Array.from({ length: 501 }, (_, i) => genericEvent(`K${i}`)) });
    expect([tooMany.status, tooMany.body.issues]).toEqual([400, [{ path: '(root)', message: 'too many events: at most 500 per request, this one has 501' }]]);
    expect(await webhook.queued()).toHaveLength(0);
  });

  it('refuses an occurredAt more than ten minutes ahead or before the floor with 400 naming the field', async () => {
    const webhook = await startWebhook();
    for (const occurredAt of ['2099-04-15T11:11:00+05:30', '9999-12-31T23:59:00Z', '0000-01-01T00:00:00Z', new Date(Date.now() + 11 * 60_000).toISOString()]) {
      const answer = await webhook.post('acme-courier', { events: [genericEvent('4240181700'), genericEvent('4240181701', 'DELIVERED', occurredAt)] });
      expect([answer.status, answer.body.error], occurredAt).toEqual([400, 'invalid_request']);
      expect((answer.body.issues as Array<{ path: string }>).map((issue) => issue.path)).toEqual(['events[1].occurredAt']);
    }
    const soon = await webhook.post('acme-courier', genericEvent('4240181702', 'DELIVERED', new Date(Date.now() + 5 * 60_000).toISOString()));
    expect(soon.status).toBe(202);
    expect(await webhook.queued()).toHaveLength(1);
  });
});

/** Courier status codes the webhook has no delivery status for. */
import { describe, expect, it } from 'vitest';
import { blueDartBody, blueDartScan, genericEvent } from './payloads.js';
import { useWebhook } from './webhook-setup.js';

const startWebhook = useWebhook();

describe('courier webhook over HTTP: status codes', () => {
  it('refuses a batch with an unmapped status code whole, with a 422 naming the code', async () => {
    const webhook = await startWebhook();
    const answer = await webhook.post(
      'bluedart',
      blueDartBody([{ kitNo: '41063130', waybillNo: '32592631260', scans: [blueDartScan('DL', '000', '15-Apr-2026', '11:11'), blueDartScan('ZZ', 42, '15-Apr-2026', '12:00')] }]),
    );
    expect(answer.status).toBe(422);
    expect(answer.body).toEqual({ error: 'unknown_status_code', message: 'no delivery status is mapped for courier code ZZ/42; nothing was accepted', codes: ['ZZ/42'] });
    const generic = await webhook.post('acme-courier', genericEvent('4240181605', 'OUT_FOR_DELIVERY'));
    expect(generic.status).toBe(422);
    expect(generic.body.codes).toEqual(['OUT_FOR_DELIVERY']);
    expect(await webhook.queued()).toHaveLength(0);
  });

  it('refuses a status named after a built-in property with 422 unknown_status_code, never 500', async () => {
    const webhook = await startWebhook();
    for (const status of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf']) {
      const answer = await webhook.post('acme-courier', { kitNo: 'K1', status, occurredAt: '2026-04-15T11:11:00+05:30' });
      expect([answer.status, answer.body.error, answer.body.codes], status).toEqual([422, 'unknown_status_code', [status]]);
    }
    const blueDart = await webhook.post('bluedart', blueDartBody([{ kitNo: '41063170', waybillNo: '32592631280', scans: [blueDartScan('toString', 'valueOf', '15-Apr-2026', '11:11')] }]));
    expect([blueDart.status, blueDart.body.codes]).toEqual([422, ['toString/valueOf']]);
    expect(await webhook.queued()).toHaveLength(0);
  });
});

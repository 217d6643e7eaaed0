/** Token integrations (functions/courier-webhook/token.ts): a static header instead of a signature. */
import { describe, expect, it } from 'vitest';
import { courierEventsUrl, signCourierRequest } from '../../../shared/tooling/courier-signing.js';
import { CURRENT, OLD_TOKEN, TOKEN } from './couriers.js';
import { blueDartBody, blueDartScan } from './payloads.js';
import { useWebhook } from './webhook-setup.js';

const startWebhook = useWebhook();

describe('courier webhook over HTTP: token integrations', () => {
  it('token integrations: both values of a rotation pass, anything else gets the same 401, and a signature is no token', async () => {
    const webhook = await startWebhook();
    const body = blueDartBody([{ kitNo: '41063150', waybillNo: '32592631270', scans: [blueDartScan('UD', '002', '15-Apr-2026', '08:00')] }]);
    const withToken = (token: string, i: number) => webhook.post('bluedart', { ...body, note: i }, { token });
    const answers = await Promise.all([TOKEN, OLD_TOKEN, `${TOKEN}x`, TOKEN.slice(0, -1), '', CURRENT].map(withToken));
    expect(answers.map((a) => a.status)).toEqual([202, 202, 401, 401, 401, 401]);
    expect(new Set(answers.slice(2).map((a) => a.text)).size).toBe(1);
    // Delhivery's header carries a scheme: the bare token, or HMAC headers, are refused.
    const delhivery = { Shipment: { AWB: '1234567890124', ReferenceNo: '4240181652', Status: { Status: 'In Transit', StatusType: 'UD', StatusDateTime: '2026-04-15T11:11:00' } } };
    expect((await webhook.post('delhivery', delhivery, { headers: { authorization: TOKEN } })).status).toBe(401);
    expect((await webhook.post('delhivery', delhivery, { headers: { authorization: `token ${TOKEN}` } })).status).toBe(202);
    const signed = signCourierRequest({ secrets: [TOKEN], body: Buffer.from(JSON.stringify(delhivery)) });
    const hmacOnly = await fetch(courierEventsUrl(webhook.server.url, 'delhivery'), { method: 'POST', headers: signed, body: JSON.stringify(delhivery) });
    expect(hmacOnly.status).toBe(401);
  });
});

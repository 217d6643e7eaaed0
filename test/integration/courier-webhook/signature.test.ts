/** HMAC-signed requests (shared/courier/signature.ts): keys, rotation, timestamps and one answer for every failure. */
import { describe, expect, it } from 'vitest';
import { courierEventsUrl, signCourierRequest } from '../../../shared/tooling/courier-signing.js';
import { CURRENT, OTHER, PREVIOUS } from './couriers.js';
import { genericEvent } from './payloads.js';
import { nowSeconds, useWebhook } from './webhook-setup.js';

const startWebhook = useWebhook();

describe('courier webhook over HTTP: signatures', () => {
  it('answers every authentication failure with one identical 401 and queues nothing', async () => {
    const webhook = await startWebhook();
    const event = genericEvent('4240181596');
    const body = Buffer.from(JSON.stringify(event));
    const signed = signCourierRequest({ secrets: [CURRENT], body });
    const url = courierEventsUrl(webhook.server.url, 'acme-courier');
    const attempts: Array<Record<string, string>> = [
      { 'content-type': 'application/json' },
      { ...signed, 'x-signature': signed['x-signature'].replace(/.$/, (c) => (c === '0' ? '1' : '0')) },
      signCourierRequest({ secrets: [OTHER], body }),
      { ...signed, 'x-signature': 'v1=not-hex' },
      { ...signed, 'x-signature': 'v0=' + signed['x-signature'].slice(3) },
      { ...signed, 'x-signature-timestamp': 'yesterday' },
    ];
    const answers = await Promise.all(attempts.map(async (headers) => fetch(url, { method: 'POST', headers, body }).then(async (r) => [r.status, await r.text()] as const)));
    expect(new Set(answers.map(([status]) => status))).toEqual(new Set([401]));
    expect(new Set(answers.map(([, text]) => text))).toEqual(new Set(['{"error":"unauthorized","message":"missing, expired or invalid credentials"}']));
    // A body changed after signing is refused too.
    const tampered = await fetch(url, { method: 'POST', headers: signed, body: JSON.stringify({ ...event, status: 'RETURNED' }) });
    expect(tampered.status).toBe(401);
    expect(await webhook.queued()).toHaveLength(0);
  });

  it('refuses timestamps more than five minutes away, in the past or the future', async () => {
    const webhook = await startWebhook();
    const stale = await webhook.post('acme-courier', genericEvent('4240181597'), { timestamp: nowSeconds() - 310 });
    const future = await webhook.post('acme-courier', genericEvent('4240181597'), { timestamp: nowSeconds() + 310 });
    const edge = await webhook.post('acme-courier', genericEvent('4240181597'), { timestamp: nowSeconds() - 290 });
    expect([stale.status, future.status, edge.status]).toEqual([401, 401, 202]);
    expect(stale.text).toBe(future.text);
  });

  it('accepts both keys of a rotation, alone or together, and nothing else', async () => {
    const webhook = await startWebhook();
    const answers = await Promise.all([[PREVIOUS], [CURRENT], [CURRENT, PREVIOUS], [OTHER, CURRENT], [OTHER]].map((secrets, i) => webhook.post('rotating', genericEvent(`4240184${i}`), { secrets })));
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202, 202, 401]);
    // The previous key of one courier is nobody else's key.
    expect((await webhook.post('acme-courier', genericEvent('42401845'), { secrets: [PREVIOUS] })).status).toBe(401);
  });
});

/** Source-IP allow-lists (functions/courier-webhook/source-ip.ts). */
import { describe, expect, it } from 'vitest';
import { genericEvent } from './payloads.js';
import { useWebhook } from './webhook-setup.js';

const startWebhook = useWebhook();

describe('courier webhook over HTTP: source-IP allow-lists', () => {
  it('refuses a request from outside the courier’s source-IP allow-list, even with a valid signature', async () => {
    const webhook = await startWebhook();
    const walled = await webhook.post('walled', genericEvent('4240181660'));
    expect([walled.status, walled.body.error]).toEqual([401, 'unauthorized']);
    // shiprocket allows the loopback block this test calls from.
    expect((await webhook.post('shiprocket', { awb: 'SR1', order_id: '4240181661', shipment_status_id: 18, current_timestamp: '2026-04-15 12:00:00' })).status).toBe(202);
  });
});

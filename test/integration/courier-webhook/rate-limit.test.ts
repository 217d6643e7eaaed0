/** Per-courier rate limits, which neither forged requests nor replays use up. */
import { describe, expect, it } from 'vitest';
import { OTHER } from './couriers.js';
import { genericEvent } from './payloads.js';
import { nowSeconds, useWebhook } from './webhook-setup.js';

const startWebhook = useWebhook();

describe('courier webhook over HTTP: rate limits', () => {
  it('answers 429 with Retry-After when a courier exceeds its rate, without spending tokens on forged requests', async () => {
    const webhook = await startWebhook();
    const forged = await webhook.post('slow-lane', genericEvent('42401850'), { secrets: [OTHER] });
    expect(forged.status).toBe(401);
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await webhook.post('slow-lane', genericEvent(`4240185${i + 1}`))).status);
    expect(statuses).toEqual([202, 202, 429]);
    const limited = await webhook.post('slow-lane', genericEvent('42401855'));
    expect(limited.body.error).toBe('rate_limited');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('answers replays before rate limiting, so they do not use up the courier’s rate', async () => {
    const webhook = await startWebhook();
    const timestamp = nowSeconds();
    const first = await webhook.post('slow-lane', genericEvent('42401730'), { timestamp });
    expect(first.status).toBe(202);
    for (let i = 0; i < 60; i += 1) expect((await webhook.post('slow-lane', genericEvent('42401730'), { timestamp })).status).toBe(200);
    const next = await webhook.post('slow-lane', genericEvent('42401731'));
    expect(next.status).toBe(202);
  });
});

/** Replayed requests (functions/courier-webhook/replay.ts): answered from the record, queued once. */
import { describe, expect, it } from 'vitest';
import { DynamoReplayGuard, replayKey } from '../../../functions/courier-webhook/replay.js';
import { CURRENT, OTHER } from './couriers.js';
import { genericEvent } from './payloads.js';
import { nowSeconds, useWebhook } from './webhook-setup.js';

const startWebhook = useWebhook();

describe('courier webhook over HTTP: replays', () => {
  it('answers a replayed request 200 with the original ids and queues nothing again', async () => {
    const webhook = await startWebhook();
    const timestamp = nowSeconds();
    const first = await webhook.post('acme-courier', { events: [genericEvent('4240181598'), genericEvent('4240181599')] }, { timestamp });
    const replay = await webhook.post('acme-courier', { events: [genericEvent('4240181598'), genericEvent('4240181599')] }, { timestamp });
    expect(first.status).toBe(202);
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual({ accepted: 2, eventIds: first.body.eventIds, replayed: true });
    // Dropping one of two signatures does not make it a new request.
    const stripped = await webhook.post('acme-courier', { events: [genericEvent('4240181598'), genericEvent('4240181599')] }, { timestamp, secrets: [CURRENT, OTHER] });
    expect(stripped.status).toBe(200);
    expect(await webhook.queued()).toHaveLength(2);
  });

  it('answers 409 while the same request is still being processed', async () => {
    const webhook = await startWebhook();
    const timestamp = nowSeconds();
    const body = JSON.stringify(genericEvent('4240181600'));
    const guard = new DynamoReplayGuard(webhook.aws.dynamo, webhook.aws.resources.tables.webhookReplay);
    await guard.claim(replayKey('acme-courier', timestamp, Buffer.from(body)), { expiresAtSeconds: timestamp + 600, lockedUntilMs: Date.now() + 60_000 });
    const answer = await webhook.post('acme-courier', body, { timestamp });
    expect(answer.status).toBe(409);
    expect(answer.headers.get('retry-after')).toBe('1');
    expect(answer.body.error).toBe('request_in_progress');
  });
});

describe('DynamoReplayGuard', () => {
  it('lets a new claim take over an expired replay record or an abandoned claim, never a live one', async () => {
    const webhook = await startWebhook();
    const guard = new DynamoReplayGuard(webhook.aws.dynamo, webhook.aws.resources.tables.webhookReplay);
    const now = Date.now();
    const live = { expiresAtSeconds: Math.floor(now / 1_000) + 600, lockedUntilMs: now + 60_000 };
    await guard.claim('expired', { expiresAtSeconds: Math.floor(now / 1_000) - 1, lockedUntilMs: now + 60_000 });
    await guard.claim('abandoned', { ...live, lockedUntilMs: now - 1 });
    await guard.claim('completed', { ...live, lockedUntilMs: now - 1 });
    await guard.complete('completed', ['id-1']);
    expect(await guard.claim('expired', live)).toEqual({ kind: 'claimed' });
    expect(await guard.claim('abandoned', live)).toEqual({ kind: 'claimed' });
    expect(await guard.claim('abandoned', live)).toEqual({ kind: 'inProgress' });
    expect(await guard.claim('completed', live)).toEqual({ kind: 'completed', eventIds: ['id-1'] });
  });
});

/** Putting accepted events on the courier queue (functions/courier-webhook/enqueue.ts). */
import { SendMessageCommand, type SendMessageBatchCommandInput } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { genericEvent } from './payloads.js';
import { nowSeconds, useWebhook } from './webhook-setup.js';

const startWebhook = useWebhook();

describe('courier webhook over HTTP: enqueue', () => {
  it('retries SendMessageBatch entries that failed and queues each event once', async () => {
    let failuresLeft = 3;
    const sent: number[] = [];
    const webhook = await startWebhook({
      // The first three entries SQS is given fail, whichever call carries them.
      sendBatch: (real) => async (input: SendMessageBatchCommandInput) => {
        sent.push(input.Entries!.length);
        const failing = input.Entries!.slice(0, failuresLeft);
        failuresLeft -= failing.length;
        const passing = input.Entries!.slice(failing.length);
        const output = passing.length ? await real({ ...input, Entries: passing }) : { Successful: [], $metadata: {} };
        return { ...output, Failed: failing.map((e) => ({ Id: e.Id, Code: 'InternalError', SenderFault: false })) };
      },
    });
    const events = Array.from({ length: 12 }, (_, i) => genericEvent(`4240182${String(i).padStart(3, '0')}`));
    const answer = await webhook.post('acme-courier', { events });
    expect(answer.status).toBe(202);
    expect(sent.length).toBeGreaterThan(2);
    const queued = await webhook.queued();
    expect(queued).toHaveLength(12);
    expect(new Set(queued.map((e) => e.id)).size).toBe(12);
  });

  it('answers 503 when entries still fail after the retries, and lets the courier’s retry of that same request through', async () => {
    let healthy = false;
    const webhook = await startWebhook({
      sendBatch: (real) => async (input) => {
        if (healthy) return real(input);
        const [failing, ...passing] = input.Entries!;
        const output = passing.length ? await real({ ...input, Entries: passing }) : { Successful: [], $metadata: {} };
        return { ...output, Failed: [{ Id: failing!.Id, Code: 'ServiceUnavailable', SenderFault: false }] };
      },
    });
    const timestamp = nowSeconds();
    const events = { events: Array.from({ length: 3 }, (_, i) => genericEvent(`4240183${i}`)) };
    const failed = await webhook.post('acme-courier', events, { timestamp });
    expect(failed.status).toBe(503);
    expect(failed.headers.get('retry-after')).toBe('5');
    expect(failed.body.error).toBe('enqueue_failed');
    healthy = true;
    const retried = await webhook.post('acme-courier', events, { timestamp });
    expect(retried.status).toBe(202);
    // At least once: the entries that went through on the failed attempt are there twice, with the same ids.
    const queued = await webhook.queued();
    expect(new Set(queued.map((e) => e.id))).toEqual(new Set(retried.body.eventIds as string[]));
  });

  it('strips characters SQS refuses from free text instead of answering 503 forever', async () => {
    const webhook = await startWebhook();
    const answer = await webhook.post('acme-courier', { ...genericEvent('4240181710'), remarks: 'left at\ufffe gate\u0001', location: 'CHEN\uffffNAI' });
    expect(answer.status).toBe(202);
    const [queued] = await webhook.queued();
    expect(queued?.data).toMatchObject({ remarks: 'left at gate', location: 'CHENNAI' });
  });

  it('queues every character SQS accepts, those above U+FFFF included (an emoji in a location)', async () => {
    const webhook = await startWebhook();
    const location = 'CHENNAI \u{1F600} \u{10000}\u{10FFFF}\uD7FF\uE000\uFFFD';
    const answer = await webhook.post('acme-courier', { ...genericEvent('4240181711'), location, remarks: '\u{1F69A} out for delivery' });
    expect(answer.status).toBe(202);
    const [queued] = await webhook.queued();
    expect(queued?.data).toMatchObject({ location, remarks: '\u{1F69A} out for delivery' });
  });

  it('still refuses, as SQS does, a body with a character outside its set', async () => {
    const webhook = await startWebhook();
    const send = (body: string) => webhook.aws.sqs.send(new SendMessageCommand({ QueueUrl: webhook.queueUrl, MessageBody: body }));
    await expect(send('lone \uD83D surrogate')).rejects.toThrow(/Invalid characters/);
    await expect(send('bell \u0007')).rejects.toThrow(/Invalid characters/);
    await expect(send('grinning \u{1F600}')).resolves.toMatchObject({ MessageId: expect.any(String) });
  });
});

/** What the webhook logs of what a courier sent (functions/courier-webhook/log-safe.ts). */
import { describe, expect, it } from 'vitest';
import { capturedOutput } from '../../support/captured-output.js';
import { genericEvent } from './payloads.js';
import { useWebhook } from './webhook-setup.js';

const startWebhook = useWebhook();

describe('courier webhook over HTTP: logs', () => {
  it('logs nothing a courier sent beyond codes, ids and lengths', async () => {
    const webhook = await startWebhook();
    const person = 'Handed to Ramesh Kumar, 14 Gandhi Street, Mylapore';
    const lines = await capturedOutput(async () => {
      const unknown = await webhook.post('acme-courier', genericEvent('4240181720', person));
      expect(unknown.status).toBeGreaterThanOrEqual(400);
      const accepted = await webhook.post('acme-courier', { ...genericEvent('4240181721'), remarks: person, location: 'Ramesh Kumar house' });
      expect(accepted.status).toBe(202);
      await webhook.post('Ramesh-Kumar-14-Gandhi-Street', genericEvent('4240181722'));
    });
    expect(lines).toContain('courier');
    for (const fragment of ['Ramesh', 'Gandhi', 'Mylapore']) expect(lines).not.toContain(fragment);
  });
});

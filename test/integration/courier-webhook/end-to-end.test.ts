/** Scans accepted by the webhook, through the courier queue and worker, to DCMS. */
import { afterEach, describe, expect, it } from 'vitest';
import { issueKits } from '../../support/dcms-fixtures.js';
import { startWorkerHarness, type WorkerHarness } from '../../support/worker-harness.js';
import { blueDartBody, blueDartScan } from './payloads.js';
import { useWebhook } from './webhook-setup.js';

const startWebhook = useWebhook();

describe('courier webhook end to end', () => {
  let harness: WorkerHarness | undefined;
  afterEach(async () => {
    await harness?.close();
  });

  it('delivers accepted scans through the courier queue and worker to DCMS', async () => {
    harness = await startWorkerHarness('courier');
    const [kitNo] = await issueKits(harness.dcms.url, 1, 'E2E-C');
    const webhook = await startWebhook({ aws: harness.aws, queueUrl: harness.queueUrl });

    const answer = await webhook.post(
      'bluedart',
      blueDartBody([{ kitNo, waybillNo: '32592631260', scans: [blueDartScan('DL', '000', '15-Apr-2026', '11:11'), blueDartScan('UD', 9, '13-Apr-2026', '10:07')] }]),
    );
    expect(answer.status).toBe(202);
    await harness.drain();

    const kit = harness.dcms.kit('ACME_BANK', kitNo!);
    expect(kit?.deliveryStatus).toBe('DELIVERED');
    // The older in-transit scan of the same batch is stale: only the newest status was sent.
    expect(kit?.deliveryHistory.map((change) => change.status)).toEqual(['DELIVERED']);
    expect(await harness.deadLetters()).toHaveLength(0);
  });
});

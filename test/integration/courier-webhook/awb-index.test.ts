/** Kits named only by their AWB: what the webhook learns from scans carrying both (shared/persistence/awb-index.ts). */
import { describe, expect, it } from 'vitest';
import { AwbIndex } from '../../../shared/persistence/awb-index.js';
import { localAws } from '../../support/local-aws.js';
import { blueDartBody, blueDartScan } from './payloads.js';
import { useWebhook } from './webhook-setup.js';

const startWebhook = useWebhook();

describe('courier webhook over HTTP: kits named by AWB', () => {
  it('finds a kit by the AWB learnt from an earlier scan that carried both, and refuses an AWB never paired with a kit', async () => {
    const webhook = await startWebhook();
    const unknown = await webhook.post('bluedart', blueDartBody([{ waybillNo: '50000000001', scans: [blueDartScan('UD', '002', '15-Apr-2026', '08:00')] }]));
    expect(unknown.status).toBe(422);
    expect(unknown.body).toMatchObject({ error: 'unknown_awb', awbs: ['50000000001'] });

    const booked = await webhook.post('bluedart', blueDartBody([{ kitNo: '41063140', waybillNo: '50000000001', scans: [blueDartScan('UD', '001', '14-Apr-2026', '18:00')] }]));
    expect(booked.status).toBe(202);
    const later = await webhook.post('bluedart', blueDartBody([{ waybillNo: '50000000001', scans: [blueDartScan('DL', '000', '15-Apr-2026', '11:11')] }]));
    expect(later.status).toBe(202);
    // One push can teach and use a pair: the second shipment names its kit only by the first one's AWB.
    const both = await webhook.post(
      'bluedart',
      blueDartBody([
        { waybillNo: '50000000002', scans: [blueDartScan('UD', '002', '15-Apr-2026', '09:00')] },
        { kitNo: '41063141', waybillNo: '50000000002', scans: [blueDartScan('UD', '001', '14-Apr-2026', '18:00')] },
      ]),
    );
    expect(both.status).toBe(202);
    const queued = await webhook.queued();
    expect(queued.map((e) => [e.data.kitNo, e.data.awb, e.data.status]).sort()).toEqual([
      ['41063140', '50000000001', 'DELIVERED'],
      ['41063140', '50000000001', 'IN_TRANSIT'],
      ['41063141', '50000000002', 'IN_TRANSIT'],
      ['41063141', '50000000002', 'IN_TRANSIT'],
    ]);
    // The first pair stays: a scan pairing the AWB with another kit keeps its own reference and changes nothing.
    const index = new AwbIndex(webhook.aws.dynamo, webhook.aws.resources.tables.integrationState);
    expect(await webhook.post('bluedart', blueDartBody([{ kitNo: '41063199', waybillNo: '50000000001', scans: [blueDartScan('UD', '003', '15-Apr-2026', '10:00')] }]))).toMatchObject({ status: 202 });
    expect(await index.lookup({ tenant: 'ACME_BANK', courier: 'bluedart' }, ['50000000001', '50000000002', '50000000003'])).toEqual(
      new Map([
        ['50000000001', '41063140'],
        ['50000000002', '41063141'],
      ]),
    );
    // Learnt per tenant and integration: another integration knows nothing of it.
    expect(await index.lookup({ tenant: 'ACME_BANK', courier: 'delhivery' }, ['50000000001'])).toEqual(new Map());
  });
});

describe('AWB index', () => {
  it('AWB index: a pair past its time to live is forgotten and can be learnt again', async () => {
    const aws = await localAws();
    const key = { tenant: 'ACME_BANK', courier: 'bluedart' };
    let now = Date.parse('2026-04-15T00:00:00Z');
    const index = new AwbIndex(aws.dynamo, aws.resources.tables.integrationState, () => now);
    expect(await index.learn(key, '70000000001', 'K1')).toEqual({ kind: 'learnt' });
    expect(await index.learn(key, '70000000001', 'K1')).toEqual({ kind: 'known' });
    expect(await index.learn(key, '70000000001', 'K2')).toEqual({ kind: 'conflict', kitNo: 'K1' });
    now += 181 * 86_400_000;
    // DynamoDB deletes expired items days late: until then the index must not answer with them.
    expect(await index.lookup(key, ['70000000001'])).toEqual(new Map());
    expect(await index.learn(key, '70000000001', 'K2')).toEqual({ kind: 'learnt' });
    expect(await index.lookup(key, ['70000000001'])).toEqual(new Map([['70000000001', 'K2']]));
  });
});

import { describe, expect, it } from 'vitest';
import type { LocalResources } from '../../local/emulators.js';
import { localWorkerEnv } from '../../local/worker-env.js';
import { routeLine } from '../../shared/tooling/routing.js';
import { QUEUES, type QueueKey } from '../../shared/config/resources.js';
import { CUSTOMER_CREATED } from '../../shared/contracts/index.js';
import { createDcmsWorkerRuntime } from '../../shared/worker/dcms-runtime.js';

const resources = {
  queues: Object.fromEntries(
    Object.keys(QUEUES).map((key) => [key, { url: `http://sqs.local/${key}`, arn: `arn:aws:sqs:ap-south-1:000000000000:${key}`, dlqUrl: `http://sqs.local/${key}-dlq`, dlqArn: 'arn' }]),
  ),
  tables: { idempotency: 'idempotency', integrationState: 'integration-state', webhookReplay: 'webhook-replay' },
} as LocalResources;
const tenantsJson = JSON.stringify([{ tenant: 'ACME_BANK', business: 'ACME_BANK', businessId: '687', businessType: 'ACME_BANK' }]);
const runtimeEnv = (queue: QueueKey, lane?: 'bulk' | 'realtime') =>
  createDcmsWorkerRuntime(localWorkerEnv({ resources, tenantsJson, dcmsBaseUrl: 'http://127.0.0.1:9', queue, serviceName: 'test', ...(lane && { lane }) })).env;

describe('local DCMS workers and their lanes', () => {
  it('a bulk-lane worker draws from the bulk lane of the budget, on the bulk queue', () => {
    const env = runtimeEnv('coreBankingBulk', 'bulk');
    expect(env.DCMS_LANE).toBe('bulk');
    expect(env.QUEUE_URL).toBe(resources.queues.coreBankingBulk.url);
  });

  it('a worker is real time unless told, whatever the shell exports', () => {
    const previous = process.env.DCMS_LANE;
    process.env.DCMS_LANE = 'bulk';
    try {
      expect(runtimeEnv('coreBanking').DCMS_LANE).toBe('realtime');
    } finally {
      if (previous === undefined) delete process.env.DCMS_LANE;
      else process.env.DCMS_LANE = previous;
    }
  });

  it('feeds still go to the real-time queue while a bulk worker runs: only the importer fills the bulk lane', () => {
    const event = JSON.stringify({ id: 'e1', type: CUSTOMER_CREATED, tenant: 'ACME_BANK', data: { entityId: 'C1' } });
    expect(routeLine(event, new Set<QueueKey>(['coreBanking', 'coreBankingBulk', 'courier'])).queue).toBe('coreBanking');
  });
});

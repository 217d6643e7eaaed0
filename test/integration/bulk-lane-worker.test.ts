import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { SqsPoller } from '../../local/event-source/sqs-poller.js';
import { WORKERS } from '../../local/stack/boot/workers.js';
import { LOCAL_RETRY_BUDGET_SECONDS } from '../../local/worker-env.js';
import { startDcmsSandbox, type RunningDcmsSandbox } from '../../sandbox/dcms/server.js';
import type { OutcomeReport } from '../../shared/observability/telemetry.js';
import { accountOpened, customerCreated } from '../support/events.js';
import { localAws } from '../support/local-aws.js';
import { TEST_TENANTS } from '../support/worker-harness.js';

/**
 * The local stack's bulk lane: the worker `npm start` runs on core-banking-bulk (the queue `ops import`
 * fills), built from the local stack's own worker list, applies a customer's events in order to DCMS.
 */
describe('local bulk-lane worker', () => {
  let dcms: RunningDcmsSandbox | undefined;
  let poller: SqsPoller | undefined;
  afterEach(async () => {
    await poller?.stop();
    await dcms?.close();
  });

  it('consumes the bulk queue with the core-banking code', async () => {
    process.env.AWS_ENDPOINT_URL_SQS = inject('sqsEndpoint');
    process.env.AWS_ENDPOINT_URL_DYNAMODB = inject('dynamoEndpoint');
    const aws = await localAws();
    dcms = await startDcmsSandbox({ port: 0 });
    const definition = WORKERS.find((worker) => worker.queue === 'coreBankingBulk');
    expect(definition?.serviceName).toBe('core-banking-bulk');

    const outcomes: OutcomeReport[] = [];
    const worker = definition!.build(
      {
        resources: aws.resources,
        tenantsJson: TEST_TENANTS,
        dcmsBaseUrl: dcms.url,
        card91BaseUrl: 'http://127.0.0.1:9',
        instancesPerWorker: 1,
        retryBudgetSeconds: LOCAL_RETRY_BUDGET_SECONDS,
        webhooks: { port: 0, couriersJson: '[]', courierSecretsJson: '{}' },
      },
      { observer: (outcome) => outcomes.push(outcome), onDcmsCall: () => undefined, onCard91Call: () => undefined },
    );
    const queue = aws.resources.queues.coreBankingBulk;
    await aws.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queue.url,
        Entries: [customerCreated('B1001'), accountOpened('B1001')].map((event, index) => ({
          Id: String(index),
          MessageBody: JSON.stringify(event),
          MessageGroupId: 'ACME_BANK:B1001',
          MessageDeduplicationId: event.id,
        })),
      }),
    );
    poller = new SqsPoller({
      sqs: aws.sqs,
      queueUrl: queue.url,
      queueArn: queue.arn,
      handler: worker.handler,
      functionName: 'core-banking-bulk',
      functionTimeoutSeconds: 20,
      batchSize: 10,
      batchingWindowSeconds: 0,
    });
    poller.start();

    await expect.poll(() => outcomes.map((o) => o.outcome), { timeout: 15_000 }).toEqual(['succeeded', 'succeeded']);
    const stats = dcms.stats();
    expect(stats.calls['/register']).toEqual({ '200': 1 });
    expect(stats.calls['/registerCard']?.['200']).toBe(1);
  }, 30_000);
});

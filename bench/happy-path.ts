/**
 * Happy-path cost and throughput of the two DCMS workers on the local stack (DynamoDB Local,
 * fauxqs, the DCMS sandbox over HTTP): DCMS calls and DynamoDB operations per event, counted
 * from the clients themselves, and events per second. `npm run bench -- happy-path [count]`.
 */
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { createCoreBankingHandler } from '../functions/core-banking-events/app.js';
import { createCourierHandler } from '../functions/courier-events/app.js';
import { createResources } from '../local/emulators.js';
import { SqsPoller } from '../local/event-source/sqs-poller.js';
import { localWorkerEnv } from '../local/worker-env.js';
import { startDcmsSandbox } from '../sandbox/dcms/server.js';
import { DcmsClient } from '../shared/dcms/client.js';
import { QUEUES, type QueueKey } from '../shared/config/resources.js';
import { createDcmsWorkerRuntime, type DcmsWorkerRuntime } from '../shared/worker/dcms-runtime.js';
import { kitStatus } from '../local/demo/events.js';
import { accountOpened, customerCreated } from './support/events.js';
import { startBenchAws } from './support/local-aws.js';

const count = Number(process.argv[2] ?? 200);
/** Concurrent instances of the core-banking worker (FIFO groups spread across them). */
const INSTANCES = Number(process.argv[3] ?? 4);

const aws = await startBenchAws();
const { sqs, dynamo } = aws;
const resources = await createResources(sqs, dynamo, { prefix: 'bench', visibilityTimeoutSeconds: 5 });
const dcms = await startDcmsSandbox({ port: 0, rateLimit: { perSecond: 10_000, burst: 10_000 } });
const tenantsJson = JSON.stringify([{ tenant: 'ACME_BANK', business: 'ACME_BANK', businessId: '687', businessType: 'ACME_BANK', rateLimit: { perSecond: 10_000, burst: 10_000 } }]);

/** Counts DynamoDB commands by name, per worker. */
function countDynamo(runtime: DcmsWorkerRuntime, counts: Map<string, number>): void {
  runtime.dynamo.middlewareStack.add(
    (next, context) => async (args) => {
      counts.set(context.commandName ?? 'unknown', (counts.get(context.commandName ?? 'unknown') ?? 0) + 1);
      return next(args);
    },
    { step: 'initialize', name: 'benchCounter' },
  );
}

/** Runs `instances` copies of a worker, each with its own runtime, as separate Lambda instances would. */
async function runWorker(queue: QueueKey, bodies: object[], instances: number, group?: (b: { tenant: string; data: { entityId?: string } }) => string) {
  const serviceName = queue === 'coreBanking' ? 'core-banking-events' : 'courier-events';
  const { url, arn } = resources.queues[queue];
  for (let i = 0; i < bodies.length; i += 10) {
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: bodies.slice(i, i + 10).map((body, j) => ({
          Id: String(j),
          MessageBody: JSON.stringify(body),
          ...(QUEUES[queue].fifo && { MessageGroupId: group!(body as never), MessageDeduplicationId: `${queue}-${i + j}-${Date.now()}` }),
        })),
      }),
    );
  }
  const dynamoOps = new Map<string, number>();
  const outcomes = new Map<string, number>();
  let processed = 0;
  const started = performance.now();
  const pollers = Array.from({ length: instances }, () => {
    const runtime = createDcmsWorkerRuntime(localWorkerEnv({ resources, queue, serviceName, dcmsBaseUrl: dcms.url, tenantsJson, fast: true }), {
      observer: (report) => outcomes.set(report.code ? `${report.outcome}:${report.code}` : report.outcome, (outcomes.get(report.code ? `${report.outcome}:${report.code}` : report.outcome) ?? 0) + 1),
    });
    countDynamo(runtime, dynamoOps);
    const handler = queue === 'coreBanking' ? createCoreBankingHandler(runtime) : createCourierHandler(runtime);
    return new SqsPoller({
      sqs,
      queueUrl: url,
      queueArn: arn,
      handler,
      functionName: serviceName,
      functionTimeoutSeconds: 60,
      batchSize: QUEUES[queue].batchSize,
      batchingWindowSeconds: queue === 'courier' ? 0.5 : 0,
      onInvocation: ({ records, failed }) => (processed += records - failed),
    });
  });
  pollers.forEach((p) => p.start());
  while (processed < bodies.length) await new Promise((resolve) => setTimeout(resolve, 20));
  const seconds = (performance.now() - started) / 1_000;
  await Promise.all(pollers.map((p) => p.stop()));
  return { seconds, dynamoOps, outcomes };
}

const perEvent = (n: number) => (n / count).toFixed(2);
const report = (label: string, { seconds, dynamoOps, outcomes }: Awaited<ReturnType<typeof runWorker>>, dcmsCalls: Record<string, number>) => {
  console.log(`\n${label}: ${count} events in ${seconds.toFixed(2)} s = ${(count / seconds).toFixed(0)} events/s`);
  console.log(`  outcomes: ${[...outcomes].map(([o, n]) => `${o} ${n}`).join(', ')}`);
  for (const [endpoint, n] of Object.entries(dcmsCalls)) console.log(`  DCMS ${endpoint}: ${perEvent(n)} per event`);
  for (const [command, n] of dynamoOps) console.log(`  DynamoDB ${command}: ${perEvent(n)} per event`);
};
const callsOf = (before: Record<string, Record<string, number>>, endpoint: string) =>
  Object.values(dcms.stats().calls[endpoint] ?? {}).reduce((a, b) => a + b, 0) - Object.values(before[endpoint] ?? {}).reduce((a, b) => a + b, 0);

try {
  const groupOf = (b: { tenant: string; data: { entityId?: string } }) => `${b.tenant}:${b.data.entityId}`;
  let before = structuredClone(dcms.stats().calls);
  const customers = await runWorker(
    'coreBanking',
    Array.from({ length: count }, (_, i) => customerCreated(`B${i}`)),
    INSTANCES,
    groupOf,
  );
  report('bank.customer.created.v1 (no insta-card)', customers, { '/register': callsOf(before, '/register'), '/viewCustomer': callsOf(before, '/viewCustomer') });

  before = structuredClone(dcms.stats().calls);
  const cards = await runWorker(
    'coreBanking',
    Array.from({ length: count }, (_, i) => accountOpened(`B${i}`)),
    INSTANCES,
    groupOf,
  );
  report('bank.account.opened.v1', cards, { '/registerCard': callsOf(before, '/registerCard'), '/viewCustomer': callsOf(before, '/viewCustomer') });

  const reader = new DcmsClient({ baseUrl: dcms.url });
  const kits = (await Promise.all(Array.from({ length: count }, (_, i) => reader.viewCustomer('ACME_BANK', `B${i}`)))).map((view) => view!.kitInfo[0]!.kitNo);
  before = structuredClone(dcms.stats().calls);
  const courier = await runWorker(
    'courier',
    kits.map((kitNo) => kitStatus('ACME_BANK', kitNo, 'IN_TRANSIT', new Date('2026-11-20T10:00:00Z'))),
    1,
  );
  report('courier.kit.status.v1', courier, { '/inventory/update/deliveryStatus': callsOf(before, '/inventory/update/deliveryStatus') });
  console.log(`\nsecond cards issued for the same account and card type: ${dcms.stats().duplicateCards}`);
} finally {
  await dcms.close();
  await aws.stop();
}

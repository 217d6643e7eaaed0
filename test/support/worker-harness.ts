import { GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageBatchCommand, type Message } from '@aws-sdk/client-sqs';
import { inject } from 'vitest';
import { createCoreBankingHandler } from '../../functions/core-banking-events/app.js';
import { createCourierHandler } from '../../functions/courier-events/app.js';
import { SqsPoller, type SqsHandler } from '../../local/event-source/sqs-poller.js';
import { localWorkerEnv } from '../../local/worker-env.js';
import { startDcmsSandbox, type DcmsSandboxOptions, type RunningDcmsSandbox } from '../../sandbox/dcms/server.js';
import { QUEUES, type QueueKey } from '../../shared/config/resources.js';
import { createDcmsWorkerRuntime, type DcmsWorkerRuntime } from '../../shared/worker/dcms-runtime.js';
import { localAws, type LocalAws } from './local-aws.js';

export const TEST_TENANTS = JSON.stringify([
  { tenant: 'ACME_BANK', business: 'ACME_BANK', businessId: '687', businessType: 'ACME_BANK' },
  { tenant: 'GLOBEX_BANK', business: 'GLOBEX_BANK', businessId: '912', businessType: 'GLOBEX_BANK' },
]);

/** A worker's queue on the suite's emulators, fed to its handlers the way the Lambda event source does. */
export interface QueueHarness {
  aws: LocalAws;
  queueUrl: string;
  dlqUrl: string;
  /** Sends raw bodies (strings) or events (objects) to the queue; a FIFO queue groups them as the producer does unless told otherwise. */
  send(bodies: Array<string | object>, fifoGroup?: (body: string, index: number) => string): Promise<void>;
  /** Runs the pollers until the queue is empty and nothing is in flight. */
  drain(timeoutMs?: number): Promise<void>;
  /** Everything in the DLQ (received and left there: the visibility timeout hides it briefly). */
  deadLetters(): Promise<Message[]>;
  /** Stops the pollers. */
  close(): Promise<void>;
}

export interface QueueHarnessOptions {
  queue: QueueKey;
  serviceName: string;
  /** The worker's environment, on the queues and tables `aws` holds. */
  handlers: (aws: LocalAws) => SqsHandler[];
  batchSize?: number;
}

/** Points the AWS SDK at the suite's emulators and makes a fresh set of queues and tables. */
async function suiteAws(): Promise<LocalAws> {
  process.env.AWS_ENDPOINT_URL_SQS = inject('sqsEndpoint');
  process.env.AWS_ENDPOINT_URL_DYNAMODB = inject('dynamoEndpoint');
  return localAws({ visibilityTimeoutSeconds: 1 });
}

/** The queue under one worker, with one poller per handler (each one a Lambda instance). */
export async function startQueueHarness(options: QueueHarnessOptions): Promise<QueueHarness> {
  const aws = await suiteAws();
  const { url: queueUrl, dlqUrl } = aws.resources.queues[options.queue];
  const pollers = createPollers(aws, options);
  return {
    aws,
    queueUrl,
    dlqUrl,
    send: (bodies, fifoGroup) => sendBodies(aws, options.queue, bodies, fifoGroup),
    drain: (timeoutMs = 20_000) => drainQueue(aws, queueUrl, pollers, timeoutMs),
    deadLetters: () => receiveAll(aws, dlqUrl),
    async close() {
      await Promise.all(pollers.map((poller) => poller.stop()));
    },
  };
}

/** One poller per handler, fed as the queue's Lambda event source mapping would feed it; none started yet. */
function createPollers(aws: LocalAws, options: QueueHarnessOptions): SqsPoller[] {
  const { url: queueUrl, arn: queueArn } = aws.resources.queues[options.queue];
  const description = QUEUES[options.queue];
  return options.handlers(aws).map(
    (handler) =>
      new SqsPoller({
        sqs: aws.sqs,
        queueUrl,
        queueArn,
        handler,
        functionName: options.serviceName,
        functionTimeoutSeconds: 20,
        batchSize: options.batchSize ?? description.batchSize,
        batchingWindowSeconds: description.fifo ? 0 : 0.2,
      }),
  );
}

async function sendBodies(aws: LocalAws, queue: QueueKey, bodies: Array<string | object>, fifoGroup?: (body: string, index: number) => string): Promise<void> {
  const queueUrl = aws.resources.queues[queue].url;
  const description = QUEUES[queue];
  for (let i = 0; i < bodies.length; i += 10) {
    const chunk = bodies.slice(i, i + 10).map((b) => (typeof b === 'string' ? b : JSON.stringify(b)));
    const answer = await aws.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: chunk.map((body, index) => ({
          Id: String(index),
          MessageBody: body,
          // One deduplication id per send: a test may deliver the same event twice.
          ...(description.fifo && {
            MessageGroupId: fifoGroup?.(body, i + index) ?? groupOf(body, description.messageGroupField),
            MessageDeduplicationId: `${i + index}-${Math.random().toString(36).slice(2)}`,
          }),
        })),
      }),
    );
    if (answer.Failed?.length) throw new Error(`not queued: ${JSON.stringify(answer.Failed)}`);
  }
}

/** Messages in the queue, visible, in flight or delayed. */
async function messagesLeft(aws: LocalAws, queueUrl: string): Promise<number> {
  const { Attributes } = await aws.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'] }),
  );
  return Number(Attributes?.ApproximateNumberOfMessages ?? 0) + Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0) + Number(Attributes?.ApproximateNumberOfMessagesDelayed ?? 0);
}

/** Runs the pollers until the queue has stayed empty, with no poller busy, for 300 ms. */
async function drainQueue(aws: LocalAws, queueUrl: string, pollers: SqsPoller[], timeoutMs: number): Promise<void> {
  for (const poller of pollers) poller.start();
  const until = Date.now() + timeoutMs;
  let quietSince: number | undefined;
  while (Date.now() < until) {
    const idle = (await messagesLeft(aws, queueUrl)) === 0 && pollers.every((poller) => !poller.busy);
    quietSince = idle ? (quietSince ?? Date.now()) : undefined;
    if (quietSince !== undefined && Date.now() - quietSince > 300) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`queue not drained within ${timeoutMs} ms (${await messagesLeft(aws, queueUrl)} messages left)`);
}

/** Everything in a queue, received and left there (its visibility timeout hides it for 30 s). */
async function receiveAll(aws: LocalAws, queueUrl: string): Promise<Message[]> {
  const all: Message[] = [];
  for (;;) {
    const { Messages } = await aws.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, VisibilityTimeout: 30, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'] }),
    );
    if (!Messages?.length) return all;
    all.push(...Messages);
  }
}

/** The FIFO group the bank's producer uses: `tenant:<the queue's group field>` (`entityId`, `cardId`). */
function groupOf(body: string, field: string | undefined): string {
  try {
    const event = JSON.parse(body) as { tenant?: string; data?: Record<string, unknown> };
    const member = field === undefined ? undefined : event.data?.[field];
    return `${event.tenant ?? 'unknown'}:${typeof member === 'string' ? member : 'unknown'}`;
  } catch {
    return 'malformed';
  }
}

type DcmsWorkerQueue = 'coreBanking' | 'courier';

export interface WorkerHarness extends QueueHarness {
  dcms: RunningDcmsSandbox;
  runtime: DcmsWorkerRuntime;
}

export interface WorkerHarnessOptions {
  sandbox?: DcmsSandboxOptions;
  batchSize?: number;
  /** Worker settings over the local defaults (e.g. a short RETRY_BUDGET_SECONDS). */
  env?: NodeJS.ProcessEnv;
  /** Worker instances on the queue, each with its own runtime (breaker, clients), as Lambda runs them. Default 1. */
  instances?: number;
  /** The tenants document (TENANTS_JSON); default TEST_TENANTS. */
  tenantsJson?: string;
}

/** A DCMS worker (core-banking or courier events) on its queue, calling the DCMS sandbox. */
export async function startWorkerHarness(queue: DcmsWorkerQueue, options: WorkerHarnessOptions = {}): Promise<WorkerHarness> {
  const dcms = await startDcmsSandbox({ port: 0, ...options.sandbox });
  const serviceName = queue === 'coreBanking' ? 'core-banking-events' : 'courier-events';
  const runtimes: DcmsWorkerRuntime[] = [];
  const harness = await startQueueHarness({
    queue,
    serviceName,
    batchSize: options.batchSize,
    handlers: (aws) => {
      const env = { ...localWorkerEnv({ resources: aws.resources, queue, serviceName, dcmsBaseUrl: dcms.url, tenantsJson: options.tenantsJson ?? TEST_TENANTS, fast: true }), ...options.env };
      runtimes.push(...Array.from({ length: options.instances ?? 1 }, () => createDcmsWorkerRuntime(env)));
      return runtimes.map((runtime) => (queue === 'coreBanking' ? createCoreBankingHandler(runtime) : createCourierHandler(runtime)));
    },
  });
  return {
    ...harness,
    dcms,
    runtime: runtimes[0]!,
    async close() {
      await harness.close();
      await dcms.close();
    },
  };
}

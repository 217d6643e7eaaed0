import { GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageBatchCommand, type Message } from '@aws-sdk/client-sqs';
import { inject } from 'vitest';
import { createCoreBankingHandler } from '../../functions/core-banking-events/app.js';
import { createCourierHandler } from '../../functions/courier-events/app.js';
import { SqsPoller } from '../../local/event-source/sqs-poller.js';
import { localWorkerEnv } from '../../local/worker-env.js';
import { startDcmsSandbox, type DcmsSandboxOptions, type RunningDcmsSandbox } from '../../sandbox/dcms/server.js';
import { QUEUES } from '../../shared/config/resources.js';
import { createDcmsWorkerRuntime, type DcmsWorkerRuntime } from '../../shared/worker/dcms-runtime.js';
import { localAws, type LocalAws } from './local-aws.js';

export const TEST_TENANTS = JSON.stringify([
  { tenant: 'ACME_BANK', business: 'ACME_BANK', businessId: '687', businessType: 'ACME_BANK' },
  { tenant: 'GLOBEX_BANK', business: 'GLOBEX_BANK', businessId: '912', businessType: 'GLOBEX_BANK' },
]);

type WorkerQueue = 'coreBanking' | 'courier';

export interface WorkerHarness {
  aws: LocalAws;
  dcms: RunningDcmsSandbox;
  runtime: DcmsWorkerRuntime;
  queueUrl: string;
  dlqUrl: string;
  /** Sends raw bodies (strings) or events (objects) to the worker's queue. */
  send(bodies: Array<string | object>, fifoGroup?: (body: string, index: number) => string): Promise<void>;
  /** Runs the poller until the queue is empty and nothing is in flight. */
  drain(timeoutMs?: number): Promise<void>;
  /** Everything in the DLQ (received and left there: the visibility timeout hides it briefly). */
  deadLetters(): Promise<Message[]>;
  close(): Promise<void>;
}

export interface WorkerHarnessOptions {
  sandbox?: DcmsSandboxOptions;
  batchSize?: number;
  /** Worker settings over the local defaults (e.g. a short RETRY_BUDGET_SECONDS). */
  env?: NodeJS.ProcessEnv;
  /** Worker instances on the queue, each with its own runtime (breaker, clients), as Lambda runs them. Default 1. */
  instances?: number;
}

export async function startWorkerHarness(queue: WorkerQueue, options: WorkerHarnessOptions = {}): Promise<WorkerHarness> {
  process.env.AWS_ENDPOINT_URL_SQS = inject('sqsEndpoint');
  process.env.AWS_ENDPOINT_URL_DYNAMODB = inject('dynamoEndpoint');
  const aws = await localAws({ visibilityTimeoutSeconds: 1 });
  const dcms = await startDcmsSandbox({ port: 0, ...options.sandbox });
  const serviceName = queue === 'coreBanking' ? 'core-banking-events' : 'courier-events';
  const env = { ...localWorkerEnv({ resources: aws.resources, queue, serviceName, dcmsBaseUrl: dcms.url, tenantsJson: TEST_TENANTS, fast: true }), ...options.env };
  const { url: queueUrl, arn: queueArn, dlqUrl } = aws.resources.queues[queue];
  const description = QUEUES[queue];
  const runtimes = Array.from({ length: options.instances ?? 1 }, () => createDcmsWorkerRuntime(env));
  const pollers = runtimes.map(
    (runtime) =>
      new SqsPoller({
        sqs: aws.sqs,
        queueUrl,
        queueArn,
        handler: queue === 'coreBanking' ? createCoreBankingHandler(runtime) : createCourierHandler(runtime),
        functionName: serviceName,
        functionTimeoutSeconds: 20,
        batchSize: options.batchSize ?? description.batchSize,
        batchingWindowSeconds: description.fifo ? 0 : 0.2,
      }),
  );

  const counts = async () => {
    const { Attributes } = await aws.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'] }),
    );
    return Number(Attributes?.ApproximateNumberOfMessages ?? 0) + Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0) + Number(Attributes?.ApproximateNumberOfMessagesDelayed ?? 0);
  };

  return {
    aws,
    dcms,
    runtime: runtimes[0]!,
    queueUrl,
    dlqUrl,
    async send(bodies, fifoGroup) {
      for (let i = 0; i < bodies.length; i += 10) {
        const chunk = bodies.slice(i, i + 10).map((b) => (typeof b === 'string' ? b : JSON.stringify(b)));
        await aws.sqs.send(
          new SendMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: chunk.map((body, index) => ({
              Id: String(index),
              MessageBody: body,
              ...(description.fifo && {
                MessageGroupId: fifoGroup?.(body, i + index) ?? groupOf(body),
                MessageDeduplicationId: `${i + index}-${Math.random().toString(36).slice(2)}`,
              }),
            })),
          }),
        );
      }
    },
    async drain(timeoutMs = 20_000) {
      for (const poller of pollers) poller.start();
      const until = Date.now() + timeoutMs;
      let quietSince: number | undefined;
      while (Date.now() < until) {
        const idle = (await counts()) === 0 && pollers.every((poller) => !poller.busy);
        quietSince = idle ? (quietSince ?? Date.now()) : undefined;
        if (quietSince !== undefined && Date.now() - quietSince > 300) return;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`queue not drained within ${timeoutMs} ms (${await counts()} messages left)`);
    },
    async deadLetters() {
      const all: Message[] = [];
      for (;;) {
        const { Messages } = await aws.sqs.send(
          new ReceiveMessageCommand({ QueueUrl: dlqUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, VisibilityTimeout: 30, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'] }),
        );
        if (!Messages?.length) return all;
        all.push(...Messages);
      }
    },
    async close() {
      await Promise.all(pollers.map((poller) => poller.stop()));
      await dcms.close();
    },
  };
}

/** The FIFO group the core-banking producer uses: `tenant:entityId`. */
function groupOf(body: string): string {
  try {
    const event = JSON.parse(body) as { tenant?: string; data?: { entityId?: string } };
    return `${event.tenant ?? 'unknown'}:${event.data?.entityId ?? 'unknown'}`;
  } catch {
    return 'malformed';
  }
}

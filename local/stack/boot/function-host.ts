/**
 * The functions host: a child process of `npm start` that runs the functions the way Lambda would:
 * SQS event source pollers for each queue worker, and the webhooks behind a local API Gateway on
 * 127.0.0.1. It is a process of its own so that the functions' logs (Powertools JSON on stdout, as
 * in CloudWatch) go to a log file and never into the progress display. It reports every record
 * outcome, partner call and DynamoDB count to the stack over IPC.
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import { QUEUES, type QueueKey } from '../../../shared/config/resources.js';
import { SqsPoller } from '../../event-source/sqs-poller.js';
import type { HostConfiguration, HostMessage, ParentMessage } from './host-protocol.js';
import { LOCAL_FUNCTION_TIMEOUT_SECONDS, localBatchingWindowSeconds } from './event-source-settings.js';
import { OperationCounter } from '../report/operation-counter.js';
import { startWebhooks } from './webhooks.js';
import { WORKERS } from './workers.js';

const report = (message: HostMessage): void => {
  if (process.connected) process.send?.(message);
};

const pollers: Array<{ queue: QueueKey; poller: SqsPoller }> = [];
const counter = new OperationCounter();
let closeWebhooks: (() => Promise<void>) | undefined;
let stopping: Promise<void> | undefined;

async function start(configuration: HostConfiguration): Promise<void> {
  // Same client settings as the workers' own: the endpoint comes from AWS_ENDPOINT_URL_SQS.
  const sqs = new SQSClient({ endpoint: process.env.AWS_ENDPOINT_URL_SQS });
  for (const definition of WORKERS) {
    const { queue, serviceName } = definition;
    const description = QUEUES[queue];
    const resources = configuration.resources.queues[queue];
    for (let instance = 0; instance < configuration.instancesPerWorker; instance += 1) {
      const worker = definition.build(configuration, {
        observer: (outcome) => report({ type: 'outcome', queue, report: outcome }),
        onDcmsCall: (call) => report({ type: 'dcmsCall', call }),
        onCard91Call: (call) => report({ type: 'card91Call', call }),
      });
      counter.attach(worker.dynamo);
      const poller = new SqsPoller({
        sqs,
        queueUrl: resources.url,
        queueArn: resources.arn,
        handler: worker.handler,
        functionName: serviceName,
        functionTimeoutSeconds: LOCAL_FUNCTION_TIMEOUT_SECONDS,
        batchSize: description.batchSize,
        batchingWindowSeconds: localBatchingWindowSeconds(description),
        onInvocation: ({ error }) => {
          if (error === undefined) return;
          const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
          console.error(JSON.stringify({ level: 'ERROR', message: 'invocation failed', service: serviceName, error: text, timestamp: new Date().toISOString() }));
          report({ type: 'pollerError', queue, error: text });
        },
      });
      pollers.push({ queue, poller });
      poller.start();
    }
  }
  const webhooks = await startWebhooks(configuration);
  closeWebhooks = webhooks.close;
  report({ type: 'ready', workers: WORKERS.map(({ queue, serviceName }) => ({ queue, serviceName })), webhooks: { url: webhooks.url, routes: webhooks.routes } });
}

/** Stops taking requests and polling (invocations under way finish first), then leaves. */
function stop(): Promise<void> {
  stopping ??= Promise.allSettled([closeWebhooks?.(), ...pollers.map(({ poller }) => poller.stop())]).then(() => {
    if (process.connected) process.disconnect();
    process.exit(0);
  });
  return stopping;
}

process.on('message', (message: ParentMessage) => {
  switch (message.type) {
    case 'start':
      start(message.configuration).catch((error: unknown) => {
        const code = (error as NodeJS.ErrnoException).code;
        const port = message.configuration.webhooks.port;
        const text = code === 'EADDRINUSE' ? `port ${port} (webhooks) is in use: set WEBHOOK_PORT=<free port>` : error instanceof Error ? error.message : String(error);
        report({ type: 'startFailed', error: text });
      });
      return;
    case 'status':
      report({
        type: 'status',
        id: message.id,
        busy: [...new Set(pollers.filter(({ poller }) => poller.busy).map(({ queue }) => queue))],
        dynamo: counter.snapshot(),
      });
      return;
    case 'stop':
      void stop();
      return;
  }
});

// Ctrl-C in a terminal reaches the whole process group: the stack decides when the functions stop.
process.on('SIGINT', () => undefined);
process.on('SIGTERM', () => void stop());
// The stack is gone (crashed or killed): nobody is left to stop us, so stop.
process.on('disconnect', () => void stop());

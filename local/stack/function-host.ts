/**
 * The functions host: a child process of `npm start` that runs the workers the way Lambda would,
 * one SQS event source poller per worker. It is a process of its own so that the functions' logs
 * (Powertools JSON on stdout, like CloudWatch) go to a log file and never into the progress display.
 * It reports every record outcome, DCMS call and DynamoDB count to the stack over IPC.
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import { QUEUES, type QueueKey } from '../../shared/config/resources.js';
import { SqsPoller } from '../event-source/sqs-poller.js';
import type { HostConfiguration, HostMessage, ParentMessage } from './host-protocol.js';
import { LOCAL_FUNCTION_TIMEOUT_SECONDS, localBatchingWindowSeconds } from './local-timing.js';
import { OperationCounter } from './operation-counter.js';
import { WORKERS } from './workers.js';

const report = (message: HostMessage): void => {
  if (process.connected) process.send?.(message);
};

const pollers = new Map<QueueKey, SqsPoller>();
const counter = new OperationCounter();
let stopping: Promise<void> | undefined;

function start(configuration: HostConfiguration): void {
  // Same client settings as the workers' own: the endpoint comes from AWS_ENDPOINT_URL_SQS.
  const sqs = new SQSClient({ endpoint: process.env.AWS_ENDPOINT_URL_SQS });
  for (const definition of WORKERS) {
    const { queue, serviceName } = definition;
    const worker = definition.build(configuration, {
      observer: (outcome) => report({ type: 'outcome', queue, report: outcome }),
      onDcmsCall: (call) => report({ type: 'dcmsCall', call }),
    });
    counter.attach(worker.dynamo);
    const description = QUEUES[queue];
    const resources = configuration.resources.queues[queue];
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
    pollers.set(queue, poller);
    poller.start();
  }
  report({ type: 'ready', workers: WORKERS.map(({ queue, serviceName }) => ({ queue, serviceName })) });
}

/** Stops polling (an invocation under way finishes first), then leaves. */
function stop(): Promise<void> {
  stopping ??= Promise.all([...pollers.values()].map((poller) => poller.stop())).then(() => {
    if (process.connected) process.disconnect();
    process.exit(0);
  });
  return stopping;
}

process.on('message', (message: ParentMessage) => {
  switch (message.type) {
    case 'start':
      try {
        start(message.configuration);
      } catch (error) {
        report({ type: 'startFailed', error: error instanceof Error ? error.message : String(error) });
      }
      return;
    case 'status':
      report({
        type: 'status',
        id: message.id,
        busy: [...pollers].filter(([, poller]) => poller.busy).map(([queue]) => queue),
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

import { setTimeout as sleep } from 'node:timers/promises';
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';

const COUNTED = ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'] as const;

/** Messages in a queue, waiting, in flight or delayed (SQS's approximate counts). */
export async function queueDepth(sqs: SQSClient, queueUrl: string): Promise<number> {
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: [...COUNTED] }));
  return COUNTED.reduce((sum, name) => sum + Number(Attributes?.[name] ?? 0), 0);
}

/** Waits until the bulk workers have taken every message (`--wait`), reporting the backlog as it shrinks. */
export async function waitUntilDrained(sqs: SQSClient, queueUrl: string, onDepth: (depth: number) => void, signal?: AbortSignal, pollMs = 2_000): Promise<void> {
  for (;;) {
    const depth = await queueDepth(sqs, queueUrl);
    onDepth(depth);
    if (depth === 0 || signal?.aborted) return;
    await sleep(pollMs);
  }
}

/**
 * `ops dlq redrive` against fauxqs: two operators redriving the same standard DLQ at once must send
 * each dead letter back once, whichever way each run moves it.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteMessageCommand, PurgeQueueCommand, ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { inspectionReader } from '../../shared/tooling/dlq-messages.js';
import type { Filter } from '../../ops/filters.js';
import { redrive } from '../../ops/redrive.js';
import { acquireRedriveLock } from '../../ops/redrive-lock.js';
import { resolveTarget, type OpsTarget } from '../../ops/target.js';
import { DLQ_ATTRIBUTES } from '../../shared/messaging/dead-letter.js';
import { QUEUES, queueName } from '../../shared/config/resources.js';
import { localAws, type LocalAws } from '../support/local-aws.js';

let aws: LocalAws;
let target: OpsTarget;
beforeAll(async () => {
  aws = await localAws({ visibilityTimeoutSeconds: 30 });
  const dir = await mkdtemp(join(tmpdir(), 'redrive-'));
  target = await resolveTarget({ stackFile: join(dir, 'none.json'), endpointSqs: inject('sqsEndpoint'), endpointDynamodb: inject('dynamoEndpoint'), prefix: aws.prefix, max: 100 });
});
afterAll(() => {
  target.sqs.destroy();
  target.dynamo.destroy();
  aws.sqs.destroy();
});

const attribute = (value: string) => ({ DataType: 'String', StringValue: value });

/** Dead letters as the courier worker writes them: body unchanged, the reason as attributes. */
async function deadLetter(count: number, code: string): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, i) => `${code}-${i}`);
  await aws.sqs.send(
    new SendMessageBatchCommand({
      QueueUrl: aws.resources.queues.courier.dlqUrl,
      Entries: ids.map((id, i) => ({
        Id: String(i),
        MessageBody: JSON.stringify({ id, type: 'courier.kit.status.v1' }),
        MessageAttributes: { [DLQ_ATTRIBUTES.category]: attribute('Transient'), [DLQ_ATTRIBUTES.code]: attribute(code), [DLQ_ATTRIBUTES.originalMessageId]: attribute(id) },
      })),
    }),
  );
  return ids;
}

/** Every message on a queue, ready or in flight, by its body's event id. */
async function onQueue(dlq: boolean): Promise<string[]> {
  const name = queueName(aws.prefix, QUEUES.courier, dlq);
  const url = dlq ? aws.resources.queues.courier.dlqUrl : aws.resources.queues.courier.url;
  const { messages } = await inspectionReader(inject('sqsEndpoint')).list(name, url);
  return messages.map((m) => (JSON.parse(m.body) as { id: string }).id).sort();
}

/**
 * A worker for which every record fails for good: whatever reaches the source queue is dead-lettered
 * again at once, with its original message id, as the workers do. Returns the event ids it received.
 */
function failingWorker(signal: AbortSignal): Promise<string[]> {
  const received: string[] = [];
  const { url, dlqUrl } = aws.resources.queues.courier;
  return (async () => {
    while (!signal.aborted) {
      const { Messages = [] } = await aws.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageAttributeNames: ['All'] }));
      for (const m of Messages) {
        received.push((JSON.parse(m.Body!) as { id: string }).id);
        await aws.sqs.send(new SendMessageCommand({ QueueUrl: dlqUrl, MessageBody: m.Body!, MessageAttributes: m.MessageAttributes }));
        await aws.sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle! }));
      }
    }
    return received.sort();
  })();
}

describe('ops dlq redrive, two runs at once on a standard queue', () => {
  it.each<[string, Filter[]]>([
    ['every record (SQS move task where there is one)', []],
    ['by filter (copied one by one)', [{ field: 'code', values: ['HTTP_503'] }]],
  ])('sends each dead letter back once, even while the workers dead-letter the copies again: %s', async (_how, filters) => {
    const ids = await deadLetter(7, 'HTTP_503');
    const stop = new AbortController();
    const worker = failingWorker(stop.signal);
    const runs = await Promise.all([1, 2].map(() => redrive(target, 'courier', { filters, dryRun: false })));
    // Let the worker take whatever the runs sent last.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    stop.abort();
    expect(await worker).toEqual(ids.toSorted());
    // Each one back in the DLQ once (it failed again), none left on the source queue.
    expect(await onQueue(true)).toEqual(ids.toSorted());
    expect(await onQueue(false)).toEqual([]);
    expect(runs.map((run) => run.moved).toSorted()).toEqual([0, 7]);
    expect(runs.find((run) => run.moved === 0)).toMatchObject({ mode: 'busy' });
    await aws.sqs.send(new PurgeQueueCommand({ QueueUrl: aws.resources.queues.courier.dlqUrl }));
  });
});

describe('the redrive lease', () => {
  it('is released when a run ends, and lapses when a run died holding it', async () => {
    const table = { dynamo: aws.dynamo, tableName: aws.resources.tables.integrationState };
    const first = await acquireRedriveLock(table, 'lease-dlq');
    expect(await acquireRedriveLock(table, 'lease-dlq')).toMatchObject({ busy: { holder: expect.stringContaining(`pid ${process.pid}`) } });
    if (!('lock' in first)) throw new Error('not acquired');
    await first.lock.release();
    const crashed = await acquireRedriveLock(table, 'lease-dlq', () => Date.now() - 120_000);
    expect(crashed).toHaveProperty('lock');
    const after = await acquireRedriveLock(table, 'lease-dlq');
    expect(after).toHaveProperty('lock');
    // The crashed run's late release does not free the lease another run took over.
    if ('lock' in crashed) await crashed.lock.release();
    expect(await acquireRedriveLock(table, 'lease-dlq')).toHaveProperty('busy');
    if ('lock' in after) await after.lock.release();
  });
});

import { DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand, StartMessageMoveTaskCommand, type Message, type MessageAttributeValue } from '@aws-sdk/client-sqs';
import { QUEUES, queueName, type QueueKey } from '../shared/config/resources.js';
import { DLQ_ATTRIBUTES } from '../shared/messaging/dead-letter.js';
import { failureOf, releaseAll, type DeadLetter } from '../shared/tooling/dlq-messages.js';
import { matches, type Filter } from './filters.js';
import { acquireRedriveLock } from './redrive-lock.js';
import type { OpsTarget } from './target.js';

export interface RedriveOptions {
  filters: readonly Filter[];
  dryRun: boolean;
  /** Most messages to move per queue. */
  max?: number;
}

export interface RedriveResult {
  queue: QueueKey;
  dlq: string;
  /**
   * `native`: an SQS message move task (asynchronous); `copy`: received, sent to the source queue,
   * deleted; `busy`: another redrive of this DLQ was running, so nothing was moved.
   */
  mode: 'native' | 'copy' | 'dryRun' | 'busy';
  /** Messages moved (copy), to be moved (dry run), or in the DLQ when the task started (native). */
  moved: number;
  /** Messages in the DLQ afterwards (approximate on SQS; for a native task, those it has not moved yet). */
  left: number;
  messageIds: string[];
  taskHandle?: string;
  note?: string;
}

/** How long received DLQ messages stay hidden while a copy-redrive runs; kept ones are released at the end. */
const WORKING_VISIBILITY_SECONDS = 120;
/** Marks a redriven record, so a worker can tell it may have been handled before (see the runbook). */
const REDRIVE_COUNT_ATTRIBUTE = DLQ_ATTRIBUTES.redriveCount;

/**
 * Moves dead letters back to their source queue. Without a filter, on a standard queue, SQS's
 * own message move task does it (StartMessageMoveTask). Otherwise (a filter, a FIFO DLQ, for
 * which SQS has no move task, or an SQS without the API) each message is received, sent to the
 * source queue and then deleted: only matching ones; the others are handed back untouched.
 */
export async function redrive(target: OpsTarget, queue: QueueKey, options: RedriveOptions): Promise<RedriveResult> {
  const description = QUEUES[queue];
  const dlq = queueName(target.prefix, description, true);
  const dlqUrl = await target.queueUrl(queue, true);
  const sourceUrl = await target.queueUrl(queue);

  if (options.dryRun) {
    const { messages } = await target.deadLetters.list(dlq, dlqUrl);
    const selected = messages.filter((m) => matches(m, options.filters)).slice(0, options.max);
    return { queue, dlq, mode: 'dryRun', moved: selected.length, left: messages.length - selected.length, messageIds: selected.map((m) => m.messageId) };
  }

  const taken = await acquireRedriveLock({ dynamo: target.dynamo, tableName: target.tableName('integrationState') }, dlq);
  if ('busy' in taken) {
    const { total } = await target.deadLetters.list(dlq, dlqUrl);
    return { queue, dlq, mode: 'busy', moved: 0, left: total, messageIds: [], note: `another redrive of this DLQ is running (${taken.busy.holder}, since ${taken.busy.startedAt}): nothing moved` };
  }
  try {
    return await move(target, { queue, dlq, dlqUrl, sourceUrl, fifo: description.fifo }, options);
  } finally {
    await taken.lock.release();
  }
}

interface Queues {
  queue: QueueKey;
  dlq: string;
  dlqUrl: string;
  sourceUrl: string;
  fifo: boolean;
}

async function move(target: OpsTarget, queues: Queues, options: RedriveOptions): Promise<RedriveResult> {
  const { queue, dlq, dlqUrl, sourceUrl } = queues;
  let note: string | undefined;
  if (options.filters.length === 0 && options.max === undefined && !queues.fifo) {
    const native = await startMoveTask(target, dlqUrl, sourceUrl);
    if (native.started) {
      const { total } = await target.deadLetters.list(dlq, dlqUrl);
      return { queue, dlq, mode: 'native', moved: total, left: total, messageIds: [], taskHandle: native.taskHandle, note: 'SQS moves the messages in the background' };
    }
    note = `no SQS move task here (${native.reason}): copied one by one`;
  }
  const messageIds = await copyBack(target, queues, options);
  const { total } = await target.deadLetters.list(dlq, dlqUrl);
  return { queue, dlq, mode: 'copy', moved: messageIds.length, left: total, messageIds, ...(note && { note }) };
}

async function startMoveTask(target: OpsTarget, dlqUrl: string, sourceUrl: string): Promise<{ started: true; taskHandle: string } | { started: false; reason: string }> {
  try {
    // The destination is named: our DLQ records are sent by the worker, so SQS has no "original source" of its own for them.
    const answer = await target.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: await target.queueArn(dlqUrl), DestinationArn: await target.queueArn(sourceUrl) }));
    return { started: true, taskHandle: answer.TaskHandle ?? '' };
  } catch (error) {
    const name = (error as Error).name;
    // Emulators without the API answer InvalidAction / UnsupportedOperation; anything else is a real failure.
    if (/InvalidAction|UnsupportedOperation|UnknownOperation|NotImplemented/i.test(name)) return { started: false, reason: name };
    throw error;
  }
}

/** Returns the DLQ ids of the messages moved. */
async function copyBack(target: OpsTarget, queues: Queues, options: RedriveOptions): Promise<string[]> {
  const { sqs } = target;
  const kept: Message[] = [];
  const messageIds: string[] = [];
  // The producers' message ids of the records moved: with the workers running, a copy can fail again and
  // be back in the DLQ before this loop ends, under the same original.messageId. It is left there, not moved round again.
  const moved = new Set<string>();
  try {
    while (options.max === undefined || messageIds.length < options.max) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queues.dlqUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 1,
          VisibilityTimeout: WORKING_VISIBILITY_SECONDS,
          MessageAttributeNames: ['All'],
          MessageSystemAttributeNames: ['All'],
        }),
      );
      if (Messages.length === 0) break;
      for (const message of Messages) {
        const deadLetter = asDeadLetter(message);
        const full = options.max !== undefined && messageIds.length >= options.max;
        const original = failureOf(deadLetter).originalMessageId;
        if (full || moved.has(original) || !matches(deadLetter, options.filters)) {
          kept.push(message);
          continue;
        }
        const copy = await sqs.send(
          new SendMessageCommand({
            QueueUrl: queues.sourceUrl,
            MessageBody: message.Body ?? '',
            MessageAttributes: redriveAttributes(message),
            // FIFO: the record rejoins its group; the deduplication id is new (the event id was used up when it was first sent),
            // and derived from the DLQ message, so a redrive repeated after a crash is dropped by SQS rather than doubled.
            ...(queues.fifo && { MessageGroupId: message.Attributes?.MessageGroupId ?? 'redrive', MessageDeduplicationId: `redrive-${message.MessageId}` }),
          }),
        );
        moved.add(original);
        // A copy dead-lettered again before it carried the original's id (SQS's own move) points at the copy.
        if (copy.MessageId) moved.add(copy.MessageId);
        // Deleted only once the copy is on the source queue: a crash in between leaves a duplicate, never a loss.
        await sqs.send(new DeleteMessageCommand({ QueueUrl: queues.dlqUrl, ReceiptHandle: message.ReceiptHandle! }));
        messageIds.push(message.MessageId!);
      }
    }
  } finally {
    await releaseAll(sqs, queues.dlqUrl, kept);
  }
  return messageIds;
}

/** The DLQ record's attributes (as SQS's own move keeps them) plus a redrive count. */
function redriveAttributes(message: Message): Record<string, MessageAttributeValue> {
  const attributes: Record<string, MessageAttributeValue> = {};
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
    if (value.StringValue !== undefined) attributes[name] = { DataType: value.DataType ?? 'String', StringValue: value.StringValue };
  }
  const previous = Number(attributes[REDRIVE_COUNT_ATTRIBUTE]?.StringValue ?? 0);
  attributes[REDRIVE_COUNT_ATTRIBUTE] = { DataType: 'Number', StringValue: String(previous + 1) };
  return attributes;
}

const asDeadLetter = (message: Message): DeadLetter => ({
  messageId: message.MessageId ?? '',
  body: message.Body ?? '',
  attributes: Object.fromEntries(Object.entries(message.MessageAttributes ?? {}).flatMap(([name, value]) => (value.StringValue === undefined ? [] : [[name, value.StringValue]]))),
});

import { ChangeMessageVisibilityBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import * as z from 'zod';
import { DLQ_ATTRIBUTES } from '../messaging/dead-letter.js';

/** One message in a dead-letter queue, as an operator reads it. */
export interface DeadLetter {
  /** Id of the message in the DLQ (what `dlq show` and `dlq redrive` take). */
  messageId: string;
  body: string;
  /** String message attributes: the failure.* and original.* ones the worker set. */
  attributes: Record<string, string>;
  groupId?: string;
  sentAt?: string;
}

/** Why a record was dead-lettered, read from its attributes (docs/architecture.md §3). */
export interface DeadLetterFailure {
  category?: string;
  code?: string;
  reason?: string;
  attempts?: number;
  functionName?: string;
  time?: string;
  /** Id of the message on the source queue; absent when SQS itself moved it (redrive policy), which keeps the id. */
  originalMessageId: string;
  /** For Exhausted records: the category of the last failure. */
  lastCategory?: string;
}

export function failureOf(message: DeadLetter): DeadLetterFailure {
  const a = message.attributes;
  const attempts = Number(a[DLQ_ATTRIBUTES.attempts]);
  return {
    ...(a[DLQ_ATTRIBUTES.category] !== undefined && { category: a[DLQ_ATTRIBUTES.category] }),
    ...(a[DLQ_ATTRIBUTES.code] !== undefined && { code: a[DLQ_ATTRIBUTES.code] }),
    ...(a[DLQ_ATTRIBUTES.message] !== undefined && { reason: a[DLQ_ATTRIBUTES.message] }),
    ...(Number.isFinite(attempts) && { attempts }),
    ...(a[DLQ_ATTRIBUTES.functionName] !== undefined && { functionName: a[DLQ_ATTRIBUTES.functionName] }),
    ...(a[DLQ_ATTRIBUTES.time] !== undefined && { time: a[DLQ_ATTRIBUTES.time] }),
    originalMessageId: a[DLQ_ATTRIBUTES.originalMessageId] ?? message.messageId,
    ...(a[DLQ_ATTRIBUTES.originalCategory] !== undefined && { lastCategory: a[DLQ_ATTRIBUTES.originalCategory] }),
  };
}

export interface DeadLetterListing {
  messages: DeadLetter[];
  /** Messages in the queue by SQS's count (approximate on AWS). */
  total: number;
  /** False when some messages could not be read without consuming them (FIFO groups, see peekDeadLetters). */
  complete: boolean;
}

export interface DeadLetterReader {
  list(queueName: string, queueUrl: string): Promise<DeadLetterListing>;
}

const stringAttributes = (attributes: Record<string, { StringValue?: string; DataType?: string }> | undefined): Record<string, string> =>
  Object.fromEntries(Object.entries(attributes ?? {}).flatMap(([name, value]) => (value.StringValue === undefined ? [] : [[name, value.StringValue]])));

const inspectedMessage = z.object({
  messageId: z.string(),
  body: z.string(),
  messageAttributes: z.record(z.string(), z.object({ StringValue: z.string().optional(), DataType: z.string().optional() })).optional(),
  messageGroupId: z.string().optional(),
  sentTimestamp: z.number().optional(),
});
const inspectedQueue = z.object({
  messages: z.object({
    ready: z.array(inspectedMessage),
    delayed: z.array(inspectedMessage),
    inflight: z.array(z.object({ message: inspectedMessage })),
  }),
});

/**
 * Reads a queue of the local SQS emulator through its inspection API (`/_fauxqs/queues/<name>`):
 * every message, in flight or not, without receiving anything.
 */
export function inspectionReader(sqsEndpoint: string): DeadLetterReader {
  return {
    async list(queueName) {
      const response = await fetch(new URL(`/_fauxqs/queues/${encodeURIComponent(queueName)}`, sqsEndpoint));
      if (!response.ok) throw new Error(`cannot inspect queue ${queueName} on ${sqsEndpoint}: HTTP ${response.status}`);
      const { messages } = inspectedQueue.parse(await response.json());
      const all = [...messages.ready, ...messages.delayed, ...messages.inflight.map((entry) => entry.message)].map((m): DeadLetter => ({
        messageId: m.messageId,
        body: m.body,
        attributes: stringAttributes(m.messageAttributes),
        ...(m.messageGroupId !== undefined && { groupId: m.messageGroupId }),
        ...(m.sentTimestamp !== undefined && { sentAt: new Date(m.sentTimestamp).toISOString() }),
      }));
      return { messages: all, total: all.length, complete: true };
    },
  };
}

/** How long peeked messages stay hidden while the listing runs; they are made visible again at the end. */
const PEEK_VISIBILITY_SECONDS = 60;

/**
 * Reads a queue on SQS by receiving (the only way SQS offers) and handing every message back at
 * once (visibility 0). SQS does not hand out a FIFO group's next message while its head is out, so
 * a FIFO listing shows the oldest message of each group: `complete` says whether all were seen.
 */
export function peekReader(sqs: SQSClient, options: { max: number }): DeadLetterReader {
  return {
    async list(_queueName, queueUrl) {
      const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
      const total = Number(Attributes?.ApproximateNumberOfMessages ?? 0) + Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
      const seen = new Map<string, Message>();
      while (seen.size < options.max) {
        const { Messages = [] } = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl,
            MaxNumberOfMessages: 10,
            WaitTimeSeconds: 1,
            VisibilityTimeout: PEEK_VISIBILITY_SECONDS,
            MessageAttributeNames: ['All'],
            MessageSystemAttributeNames: ['All'],
          }),
        );
        const fresh = Messages.filter((m) => m.MessageId && !seen.has(m.MessageId));
        if (fresh.length === 0) break;
        for (const m of fresh) seen.set(m.MessageId!, m);
      }
      await releaseAll(sqs, queueUrl, [...seen.values()]);
      const messages = [...seen.values()].map((m): DeadLetter => ({
        messageId: m.MessageId!,
        body: m.Body ?? '',
        attributes: stringAttributes(m.MessageAttributes),
        ...(m.Attributes?.MessageGroupId !== undefined && { groupId: m.Attributes.MessageGroupId }),
        ...(m.Attributes?.SentTimestamp !== undefined && { sentAt: new Date(Number(m.Attributes.SentTimestamp)).toISOString() }),
      }));
      return { messages, total, complete: messages.length >= total };
    },
  };
}

/** Makes received messages visible again right away (best effort: otherwise they reappear after the peek visibility). */
export async function releaseAll(sqs: SQSClient, queueUrl: string, messages: readonly Message[]): Promise<void> {
  for (let i = 0; i < messages.length; i += 10) {
    const entries = messages.slice(i, i + 10).map((m, index) => ({ Id: String(index), ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: 0 }));
    await sqs.send(new ChangeMessageVisibilityBatchCommand({ QueueUrl: queueUrl, Entries: entries })).catch(() => undefined);
  }
}

import type { SQSRecord } from 'aws-lambda';
import type { World } from './world.js';

interface Attribute {
  DataType?: string | undefined;
  StringValue?: string | undefined;
}

interface Message {
  id: string;
  body: string;
  groupId: string | undefined;
  attributes: Record<string, Attribute>;
  sentAt: number;
  visibleAt: number;
  receiveCount: number;
  receipt: string | undefined;
  seq: number;
}

export interface QueueSettings {
  name: string;
  fifo: boolean;
  maxReceiveCount: number;
  visibilityTimeoutMs: number;
  dlq?: SimQueue | undefined;
}

/** SQS keeps a FIFO deduplication id for five minutes. */
const DEDUPLICATION_WINDOW_MS = 5 * 60_000;
/** A standard queue delivers at least once: now and then a message is received twice. */
const DOUBLE_DELIVERY_RATE = 0.02;

/**
 * An SQS queue as AWS documents it (shared/reference/aws-semantics.md): visibility timeouts and
 * redelivery, FIFO message groups (a group with a message in flight delivers nothing else, and
 * keeps its order), the five-minute deduplication window, DelaySeconds on standard queues, a
 * redrive to the DLQ on the receive after maxReceiveCount, and at-least-once delivery on standard queues.
 */
export class SimQueue {
  readonly url: string;
  private readonly messages: Message[] = [];
  private readonly dedup = new Map<string, number>();
  private seq = 0;

  constructor(
    private readonly world: World,
    readonly settings: QueueSettings,
  ) {
    this.url = `sim://${settings.name}`;
  }

  get size(): number {
    return this.messages.length;
  }

  /** Every message still in the queue, as bodies. */
  bodies(): Array<{ body: string; attributes: Record<string, Attribute> }> {
    return this.messages.map((m) => ({ body: m.body, attributes: m.attributes }));
  }

  send(input: {
    body: string;
    groupId?: string | undefined;
    deduplicationId?: string | undefined;
    attributes?: Record<string, Attribute> | undefined;
    delaySeconds?: number | undefined;
  }): string | undefined {
    const { now } = this.world;
    if (this.settings.fifo && input.deduplicationId !== undefined) {
      const seen = this.dedup.get(input.deduplicationId);
      if (seen !== undefined && now - seen < DEDUPLICATION_WINDOW_MS) return undefined;
      this.dedup.set(input.deduplicationId, now);
    }
    const id = `${this.settings.name}-${++this.seq}`;
    const delayMs = this.settings.fifo ? 0 : Math.min(900, input.delaySeconds ?? 0) * 1_000;
    this.messages.push({ id, body: input.body, groupId: input.groupId, attributes: input.attributes ?? {}, sentAt: now, visibleAt: now + delayMs, receiveCount: 0, receipt: undefined, seq: this.seq });
    return id;
  }

  /** Up to `max` messages, as the Lambda event source hands them to a function. */
  receive(max: number): SQSRecord[] {
    const { now, random } = this.world;
    const blocked = new Set<string>();
    const picked: Message[] = [];
    for (const message of this.messages) {
      if (picked.length >= max) break;
      const group = message.groupId;
      if (this.settings.fifo && group !== undefined && blocked.has(group)) continue;
      if (message.visibleAt > now) {
        // In flight (or waiting): nothing behind it in its group may be delivered.
        if (group !== undefined) blocked.add(group);
        continue;
      }
      if (this.settings.fifo && group !== undefined && picked.some((p) => p.groupId === group)) {
        picked.push(message);
        continue;
      }
      picked.push(message);
    }
    const records: SQSRecord[] = [];
    for (const message of picked) {
      message.receiveCount += 1;
      if (message.receiveCount > this.settings.maxReceiveCount && this.settings.dlq) {
        // SQS's own redrive: the message moves as it is, without a reason.
        this.remove(message);
        this.settings.dlq.send({ body: message.body, groupId: message.groupId, attributes: message.attributes, deduplicationId: message.id });
        continue;
      }
      message.receipt = `${message.id}#${message.receiveCount}`;
      const doubled = !this.settings.fifo && random.chance(DOUBLE_DELIVERY_RATE);
      message.visibleAt = doubled ? now : now + this.settings.visibilityTimeoutMs;
      records.push(this.toRecord(message));
    }
    return records;
  }

  delete(receipt: string): void {
    const message = this.messages.find((m) => m.receipt === receipt);
    if (message) this.remove(message);
  }

  changeVisibility(receipt: string, seconds: number): void {
    const message = this.messages.find((m) => m.receipt === receipt);
    if (message) message.visibleAt = this.world.now + seconds * 1_000;
  }

  private remove(message: Message): void {
    this.messages.splice(this.messages.indexOf(message), 1);
  }

  private toRecord(message: Message): SQSRecord {
    return {
      messageId: message.id,
      receiptHandle: message.receipt!,
      body: message.body,
      attributes: {
        ApproximateReceiveCount: String(message.receiveCount),
        SentTimestamp: String(message.sentAt),
        ApproximateFirstReceiveTimestamp: String(message.sentAt),
        SenderId: 'sim',
        ...(message.groupId !== undefined && { MessageGroupId: message.groupId, MessageDeduplicationId: message.id }),
      },
      messageAttributes: Object.fromEntries(Object.entries(message.attributes).map(([name, a]) => [name, { stringValue: a.StringValue, dataType: a.DataType ?? 'String' }])),
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: `arn:aws:sqs:sim:000000000000:${this.settings.name}`,
      awsRegion: 'sim',
    } as SQSRecord;
  }
}

/** What the workers' SQS client does, on simulated queues: the two commands the workers send. */
export function simSqsClient(world: World, queues: readonly SimQueue[]) {
  const byUrl = new Map(queues.map((q) => [q.url, q]));
  return {
    send(command: { constructor: { name: string }; input: Record<string, unknown> }): Promise<Record<string, unknown>> {
      return world.remote(world.random.int(2, 15), () => handle(command));
    },
  };
  function handle(command: { constructor: { name: string }; input: Record<string, unknown> }): Record<string, unknown> {
    const input = command.input as {
      QueueUrl: string;
      MessageBody?: string;
      MessageGroupId?: string;
      MessageDeduplicationId?: string;
      MessageAttributes?: Record<string, Attribute>;
      DelaySeconds?: number;
      ReceiptHandle?: string;
      VisibilityTimeout?: number;
    };
    const queue = byUrl.get(input.QueueUrl);
    if (!queue) throw new Error(`no such queue ${input.QueueUrl}`);
    if (command.constructor.name === 'SendMessageCommand') {
      world.log(`SQS ${queue.settings.name}: a message sent${input.MessageAttributes?.['failure.code'] ? ` (dead letter, ${input.MessageAttributes['failure.code'].StringValue})` : ''}`);
      return {
        MessageId: queue.send({
          body: input.MessageBody!,
          groupId: input.MessageGroupId,
          deduplicationId: input.MessageDeduplicationId,
          attributes: input.MessageAttributes,
          delaySeconds: input.DelaySeconds,
        }),
      };
    }
    if (command.constructor.name === 'ChangeMessageVisibilityCommand') {
      queue.changeVisibility(input.ReceiptHandle!, input.VisibilityTimeout!);
      return {};
    }
    throw new Error(`the simulated SQS does not take ${command.constructor.name}`);
  }
}

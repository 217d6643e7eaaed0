import { SendMessageBatchCommand, type SendMessageBatchRequestEntry, type SQSClient } from '@aws-sdk/client-sqs';
import type { QueueKey } from '../config/resources.js';
import type { RoutedMessage } from './routing.js';

export interface SendResult {
  message: RoutedMessage;
  /** Position in the input (0-based). */
  index: number;
  /** The SQS message id; for a FIFO duplicate, SQS answers with the id of the message it kept. */
  messageId?: string;
  /** Why SQS refused the message (too large, invalid characters…): it was never queued. */
  refused?: string;
}

/** SQS caps a batch at 10 entries and 256 KiB in total. */
const MAX_ENTRIES = 10;
const MAX_BATCH_BYTES = 256 * 1_024;

/**
 * Sends routed messages in SQS batches. Each queue's messages keep their input order (FIFO groups
 * depend on it); queues are sent to in parallel. A message SQS refuses is reported, not thrown.
 */
export async function sendMessages(sqs: SQSClient, queueUrls: Readonly<Record<QueueKey, string>>, messages: readonly RoutedMessage[]): Promise<SendResult[]> {
  const byQueue = Map.groupBy(
    messages.map((message, index) => ({ message, index })),
    (item) => item.message.queue,
  );
  const results = await Promise.all([...byQueue].map(([queue, items]) => sendInOrder(sqs, queueUrls[queue], items)));
  return results.flat().sort((a, b) => a.index - b.index);
}

async function sendInOrder(sqs: SQSClient, queueUrl: string, items: Array<{ message: RoutedMessage; index: number }>): Promise<SendResult[]> {
  const results: SendResult[] = [];
  for (const batch of batches(items)) {
    const entries = batch.map(({ message }, position): SendMessageBatchRequestEntry => ({
      Id: String(position),
      MessageBody: message.body,
      ...(message.groupId !== undefined && { MessageGroupId: message.groupId, MessageDeduplicationId: message.deduplicationId }),
    }));
    try {
      const answer = await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
      const sent = new Map((answer.Successful ?? []).map((entry) => [entry.Id, entry.MessageId]));
      const failed = new Map((answer.Failed ?? []).map((entry) => [entry.Id, `${entry.Code}: ${entry.Message ?? ''}`.trim()]));
      batch.forEach((item, position) => {
        const messageId = sent.get(String(position));
        results.push(messageId ? { ...item, messageId } : { ...item, refused: failed.get(String(position)) ?? 'no answer for this entry' });
      });
    } catch (error) {
      // A refused batch is one oversized message on its own (see `batches`), or a queue that is gone: report, do not lose.
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      for (const item of batch) results.push({ ...item, refused: reason });
    }
  }
  return results;
}

/** Consecutive batches within the entry and size caps; a message too large for any batch travels alone. */
function* batches<T extends { message: RoutedMessage }>(items: readonly T[]): Generator<T[]> {
  let batch: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = Buffer.byteLength(item.message.body);
    if (batch.length > 0 && (batch.length === MAX_ENTRIES || bytes + size > MAX_BATCH_BYTES)) {
      yield batch;
      batch = [];
      bytes = 0;
    }
    batch.push(item);
    bytes += size;
  }
  if (batch.length > 0) yield batch;
}

import { QUEUES, type QueueKey } from '../shared/config/resources.js';
import { readFeedLines } from '../shared/tooling/jsonl.js';
import { routeLine } from '../shared/tooling/routing.js';
import { sendMessages } from '../shared/tooling/sender.js';
import type { OpsTarget } from './target.js';

export interface SentLine {
  line: number;
  queue: string;
  eventId?: string;
  eventType?: string;
  messageId?: string;
  refused?: string;
}

/**
 * Sends a JSONL file of CloudEvents the way producers do (the same routing as `npm start --feed`:
 * queue by type, FIFO group `tenant:entityId`, deduplication id = event id; a line that is not an
 * event goes to the core-banking queue, which dead-letters it with the reason).
 */
export async function sendFile(target: OpsTarget, path: string, consumed: ReadonlySet<QueueKey>): Promise<SentLine[]> {
  const lines = await readFeedLines(path);
  const messages = lines.map((line) => routeLine(line.text, consumed));
  const queueUrls = Object.fromEntries(await Promise.all([...new Set(messages.map((m) => m.queue))].map(async (queue) => [queue, await target.queueUrl(queue)] as const))) as Record<QueueKey, string>;
  const results = await sendMessages(target.sqs, queueUrls, messages);
  return results.map((result) => ({
    line: lines[result.index]!.line,
    queue: QUEUES[result.message.queue].name,
    ...(result.message.eventId !== undefined && { eventId: result.message.eventId }),
    ...(result.message.eventType !== undefined && { eventType: result.message.eventType }),
    ...(result.messageId !== undefined && { messageId: result.messageId }),
    ...(result.refused !== undefined && { refused: result.refused }),
  }));
}

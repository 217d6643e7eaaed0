import { createHash } from 'node:crypto';
import Table from 'cli-table3';
import { QUEUES, queueName, type QueueKey } from '../shared/config/resources.js';
import { failureOf, type DeadLetter, type DeadLetterFailure } from '../shared/tooling/dlq-messages.js';
import { masked, type Disclosure } from './disclosure.js';
import { eventFields, type EventFields } from './event-fields.js';
import { jsonObject } from './json-body.js';
import { inline, printable } from './printable.js';
import type { OpsTarget } from './target.js';

/** One DLQ message as listed: its failure and event fields (identifiers, codes, types), never its body. */
export type DeadLetterEntry = { queue: QueueKey; messageId: string; groupId?: string; sentAt?: string } & DeadLetterFailure & EventFields;

export interface QueueListing {
  queue: QueueKey;
  dlq: string;
  total: number;
  /** False when SQS would not hand out every message without consuming some (FIFO groups). */
  complete: boolean;
  messages: DeadLetterEntry[];
}

const entryOf = (queue: QueueKey, message: DeadLetter, view: Disclosure): DeadLetterEntry => {
  const failure = failureOf(message);
  return {
    queue,
    messageId: message.messageId,
    ...(message.groupId !== undefined && { groupId: message.groupId }),
    ...(message.sentAt !== undefined && { sentAt: message.sentAt }),
    ...failure,
    // Workers mask what they write; this is for dead letters anyone else wrote, and for patterns added since.
    ...(failure.reason !== undefined && { reason: view.text(failure.reason) }),
    ...eventFields(message.body),
  };
};

async function read(target: OpsTarget, queue: QueueKey) {
  const dlq = queueName(target.prefix, QUEUES[queue], true);
  return { dlq, listing: await target.deadLetters.list(dlq, await target.queueUrl(queue, true)) };
}

export async function listDeadLetters(target: OpsTarget, queues: readonly QueueKey[], view: Disclosure = masked): Promise<QueueListing[]> {
  const listings: QueueListing[] = [];
  for (const queue of queues) {
    const { dlq, listing } = await read(target, queue);
    listings.push({ queue, dlq, total: listing.total, complete: listing.complete, messages: listing.messages.map((m) => entryOf(queue, m, view)) });
  }
  return listings;
}

/** A body that is not a JSON object or array: nothing of it is shown (unless revealed), since nothing proves it holds no personal data. */
export interface UnparseableBody {
  unparseable: true;
  length: number;
  sha256: string;
}

export interface DeadLetterDetail extends DeadLetterEntry {
  /** The body with personal data masked (a JSON object or array), or only its length and hash; whole when revealed. */
  body: unknown;
}

/** DLQ messages whose DLQ id, original message id or event id is `id`. */
export async function findDeadLetters(target: OpsTarget, queues: readonly QueueKey[], id: string, view: Disclosure = masked): Promise<DeadLetterDetail[]> {
  const found: DeadLetterDetail[] = [];
  for (const queue of queues) {
    const { listing } = await read(target, queue);
    for (const message of listing.messages) {
      const entry = entryOf(queue, message, view);
      if (entry.messageId === id || entry.originalMessageId === id || entry.eventId === id) found.push({ ...entry, body: maskedBody(message.body, view) });
    }
  }
  return found;
}

/**
 * A body as `dlq show` may print it. JSON objects and arrays go through the operator policy: only
 * fields known to be safe are shown. Anything else (broken JSON, a bare string) has no keys to
 * judge by, so only its length and SHA-256 are shown: enough to match it with the producer's copy.
 * Revealed, the body is shown as it is.
 */
export function maskedBody(body: string, view: Disclosure = masked): unknown {
  const parsed = jsonObject(body);
  if (view.reveal) return parsed ?? body;
  if (parsed !== undefined) return view.data(parsed);
  return { unparseable: true, length: body.length, sha256: createHash('sha256').update(body).digest('hex') } satisfies UnparseableBody;
}

const isUnparseable = (body: unknown): body is UnparseableBody => typeof body === 'object' && body !== null && (body as Partial<UnparseableBody>).unparseable === true;

function renderBody(body: unknown, reveal: boolean): string {
  if (isUnparseable(body)) return `Body: not a JSON object, so not shown (it may hold personal data): ${body.length} characters, sha256 ${body.sha256}`;
  if (reveal) return `Body (REVEALED: personal data shown whole):\n${printable(typeof body === 'string' ? body : JSON.stringify(body, null, 2))}`;
  return `Body (fields not known to be safe masked):\n${printable(JSON.stringify(body, null, 2))}`;
}

export function renderListing(listings: readonly QueueListing[], max: number): string {
  const parts: string[] = [];
  for (const listing of listings) {
    const header = `${QUEUES[listing.queue].name} → ${listing.dlq}: ${listing.total} message${listing.total === 1 ? '' : 's'}`;
    if (listing.messages.length === 0) {
      parts.push(header);
      continue;
    }
    const byCode = new Map<string, number>();
    for (const m of listing.messages) {
      const code = inline(`${m.category ?? '?'}/${m.code ?? '?'}`);
      byCode.set(code, (byCode.get(code) ?? 0) + 1);
    }
    parts.push(`${header} (${[...byCode].map(([code, n]) => `${code} ×${n}`).join(', ')})`);
    const table = new Table({ head: ['message id', 'category', 'code', 'tries', 'dead-lettered at', 'type', 'tenant', 'entity / kit'], style: { head: [], border: [] } });
    for (const m of listing.messages.slice(0, max)) {
      table.push([m.messageId, m.category ?? '', m.code ?? '', m.attempts ?? '', m.time ?? m.sentAt ?? '', m.eventType ?? '(not an event)', m.tenant ?? '', m.subject ?? ''].map(inline));
    }
    parts.push(table.toString());
    if (listing.messages.length > max) parts.push(`… ${listing.messages.length - max} more (--max, or --json for all)`);
    if (!listing.complete) parts.push('Note: SQS hands out only the oldest message of each FIFO group without consuming it; the rest of a group shows once its head is redriven.');
  }
  return parts.join('\n');
}

export function renderDetail(details: readonly DeadLetterDetail[], reveal = false): string {
  return details
    .map((d) => {
      const table = new Table({ style: { head: [], border: [] } });
      const rows: Array<[string, unknown]> = [
        ['queue', `${QUEUES[d.queue].name} (DLQ)`],
        ['DLQ message id', d.messageId],
        ['original message id', d.originalMessageId],
        ['category', d.lastCategory ? `${d.category} (last failure: ${d.lastCategory})` : d.category],
        ['code', d.code],
        ['reason', d.reason],
        ['attempts', d.attempts],
        ['function', d.functionName],
        ['dead-lettered at', d.time ?? d.sentAt],
        ['FIFO group', d.groupId],
        ['event', d.eventId && `${d.eventType} ${d.eventId} (tenant ${d.tenant ?? '?'})`],
      ];
      for (const [name, value] of rows) if (value !== undefined && value !== '') table.push({ [name]: inline(value) });
      return `${table.toString()}\n${renderBody(d.body, reveal)}`;
    })
    .join('\n\n');
}

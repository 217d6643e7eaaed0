import { createHash } from 'node:crypto';
import { QUEUES, type QueueKey } from '../config/resources.js';
import { ACCOUNT_OPENED, CARD_CONTROL_REQUESTED, COURIER_KIT_STATUS, CUSTOMER_CREATED } from '../contracts/index.js';

/** The queue each producer writes each event type to (docs/architecture.md §1). */
const EVENT_QUEUES: Readonly<Record<string, QueueKey>> = {
  [CUSTOMER_CREATED]: 'coreBanking',
  [ACCOUNT_OPENED]: 'coreBanking',
  [COURIER_KIT_STATUS]: 'courier',
  [CARD_CONTROL_REQUESTED]: 'cardControls',
};

/**
 * Where a line goes when it is not an event of a type some consumer handles (not JSON, no type,
 * an unknown type, or a type whose worker is not running): the core-banking worker dead-letters it
 * with its reason (BAD_JSON, SCHEMA, UNEXPECTED_TYPE), so nothing fed is ever dropped unseen.
 */
const FALLBACK_QUEUE: QueueKey = 'coreBanking';

export interface RoutedMessage {
  queue: QueueKey;
  body: string;
  /** FIFO queues only: `tenant:<the queue's group field>` (a customer, a card), so its events stay in order. */
  groupId?: string;
  /** FIFO queues only: the event id, so a re-sent event is dropped by SQS within its 5-minute window. */
  deduplicationId?: string;
  eventId?: string;
  eventType?: string;
  /** The event's own queue has no consumer here, so it went to the fallback queue instead. */
  rerouted?: boolean;
}

/** SQS deduplication ids: 1 to 128 characters, letters, digits and punctuation. */
const DEDUPLICATION_ID = /^[\w!"#$%&'()*+,\-./:;<=>?@[\\\]^`{|}~]{1,128}$/;

const digest = (text: string): string => createHash('sha256').update(text).digest('hex');

const stringField = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined);

/**
 * Routes one feed line (a CloudEvent as JSON, or anything else) to its queue. `consumed` names the
 * queues some worker reads; events for any other queue take the fallback route.
 */
export function routeLine(body: string, consumed: ReadonlySet<QueueKey>): RoutedMessage {
  const event = parseObject(body);
  const eventType = stringField(event?.type);
  const eventId = stringField(event?.id);
  const natural = eventType === undefined ? undefined : EVENT_QUEUES[eventType];
  const queue = natural !== undefined && consumed.has(natural) ? natural : FALLBACK_QUEUE;
  const routed: RoutedMessage = {
    queue,
    body,
    ...(eventId !== undefined && { eventId }),
    ...(eventType !== undefined && { eventType }),
    ...(natural !== undefined && natural !== queue && { rerouted: true }),
  };
  if (!QUEUES[queue].fifo) return routed;

  const tenant = stringField(event?.tenant);
  const data = event?.data;
  const field = QUEUES[queue].messageGroupField;
  const member = typeof data === 'object' && data !== null && field !== undefined ? stringField((data as Record<string, unknown>)[field]) : undefined;
  const hash = digest(body);
  return {
    ...routed,
    // A line without tenant and group field gets a group of its own: it has no order to keep and must not hold others back.
    groupId: tenant !== undefined && member !== undefined ? `${tenant}:${member}` : `unrouted:${hash.slice(0, 16)}`,
    deduplicationId: eventId !== undefined && DEDUPLICATION_ID.test(eventId) ? eventId : hash,
  };
}

function parseObject(body: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

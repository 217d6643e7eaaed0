/**
 * The one description of queues and tables. The CDK stack and the local stack both build from it,
 * so names, FIFO-ness, redrive and TTL keys cannot drift between cloud and laptop.
 */

export interface QueueDescription {
  /** Logical name; the physical name is `${prefix}-${name}` (+ `.fifo`). */
  name: string;
  fifo: boolean;
  /** FIFO only: per-message-group throughput mode. */
  highThroughputFifo?: boolean;
  /** Receives before SQS moves a message to the DLQ; the handler dead-letters on the last one itself. */
  maxReceiveCount: number;
  /** Function timeout of the consumer; the queue's visibility timeout is six times it (AWS guidance). */
  functionTimeoutSeconds: number;
  batchSize: number;
  /** Standard queues only (Lambda does not allow a window on FIFO). */
  batchingWindowSeconds: number;
  dlqRetentionDays: number;
}

export const QUEUES = {
  coreBanking: {
    name: 'core-banking-events',
    fifo: true,
    highThroughputFifo: true,
    maxReceiveCount: 5,
    functionTimeoutSeconds: 60,
    batchSize: 10,
    batchingWindowSeconds: 0,
    dlqRetentionDays: 14,
  },
  courier: {
    name: 'courier-events',
    fifo: false,
    maxReceiveCount: 5,
    functionTimeoutSeconds: 60,
    batchSize: 100,
    batchingWindowSeconds: 5,
    dlqRetentionDays: 14,
  },
  cardControls: {
    name: 'card-controls',
    fifo: false,
    maxReceiveCount: 5,
    functionTimeoutSeconds: 30,
    batchSize: 10,
    batchingWindowSeconds: 1,
    dlqRetentionDays: 14,
  },
} as const satisfies Record<string, QueueDescription>;
export type QueueKey = keyof typeof QUEUES;

export interface TableDescription {
  name: string;
  partitionKey: string;
  sortKey?: string;
  ttlAttribute: string;
}

export const TABLES = {
  /** Powertools idempotency records: its default key and TTL attribute names. */
  idempotency: { name: 'idempotency', partitionKey: 'id', ttlAttribute: 'expiration' },
  /** Kit ledger and last delivery status per kit. */
  integrationState: { name: 'integration-state', partitionKey: 'pk', sortKey: 'sk', ttlAttribute: 'expiresAt' },
  /** Webhook replay protection (seen signatures / event ids). */
  webhookReplay: { name: 'webhook-replay', partitionKey: 'id', ttlAttribute: 'expiresAt' },
} as const satisfies Record<string, TableDescription>;
export type TableKey = keyof typeof TABLES;

export const visibilityTimeoutSeconds = (queue: QueueDescription): number => queue.functionTimeoutSeconds * 6;

export const queueName = (prefix: string, queue: QueueDescription, dlq = false): string =>
  `${prefix}-${queue.name}${dlq ? '-dlq' : ''}${queue.fifo ? '.fifo' : ''}`;

export const tableName = (prefix: string, table: TableDescription): string => `${prefix}-${table.name}`;

/**
 * The partner webhooks, declared once: the CDK stack's HTTP API and the local stack serve exactly
 * these routes, so a path cannot differ between cloud and laptop.
 */
export const WEBHOOK_ROUTES = {
  card91Auth: { method: 'POST', path: '/card91/auth' },
  courierEvents: { method: 'POST', path: '/couriers/{courier}/events' },
} as const;
export type WebhookRouteName = keyof typeof WEBHOOK_ROUTES;

/** `POST /card91/auth`: the route key as API Gateway writes it (and the local gateway matches it). */
export const webhookRouteKey = (name: WebhookRouteName): string => `${WEBHOOK_ROUTES[name].method} ${WEBHOOK_ROUTES[name].path}`;

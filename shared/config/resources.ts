import type { FailureCategory } from '../resilience/errors.js';

/**
 * The one description of queues and tables. The CDK stack and the local stack both build from it,
 * so names, FIFO-ness, redrive and TTL keys cannot drift between cloud and laptop.
 */

export interface QueueDescription {
  /** Logical name; the physical name is `${prefix}-${name}` (+ `.fifo`). */
  name: string;
  fifo: boolean;
  /** FIFO only: the field of the event's `data` that, after the tenant, names its message group (`tenant:<value>`): the unit whose order is kept. */
  messageGroupField?: string;
  /** FIFO only: per-message-group throughput mode. */
  highThroughputFifo?: boolean;
  /** How long a valid event may wait for its platform, and how the waits between receives grow. */
  retry: RetryPolicy;
  /**
   * Receives before SQS moves a message to the DLQ: only the poison-message safety net (a record
   * that crashes its worker every time), sized from the retry policy so that an unhealthy platform
   * never reaches it. Giving up on a valid event is decided by `retry.budgetSeconds`.
   */
  maxReceiveCount: number;
  /**
   * Function timeout of the consumer; the queue's visibility timeout is six times it (AWS guidance).
   * A core-banking send's marker holds its call's deadline, so the settle window does not depend on
   * it (local/model/README.md).
   */
  functionTimeoutSeconds: number;
  batchSize: number;
  /** Standard queues only (Lambda does not allow a window on FIFO). */
  batchingWindowSeconds: number;
  dlqRetentionDays: number;
}

/**
 * Waiting for a platform: records that fail for a reason a retry can fix come back after a delay
 * that doubles per failed attempt (counted in the record's own retry history, whichever SQS copy
 * carries it) from `backoffBaseSeconds` to `backoffCapSeconds` (or exactly when an open circuit's
 * next trial is due, at most `circuitTrialCapSeconds` apart), until the record has been failing for
 * its category's budget: then it is dead-lettered as Exhausted, with its last reason
 * (shared/protocol/retry/schedule.ts).
 */
export interface RetryPolicy {
  budgetSeconds: number;
  /** Categories that may wait longer or shorter than `budgetSeconds`. */
  categoryBudgetSeconds?: Partial<Record<FailureCategory, number>>;
  backoffBaseSeconds: number;
  backoffCapSeconds: number;
  circuitTrialCapSeconds: number;
}

/**
 * Production defaults: a day of DCMS or Card91 trouble delays events, it does not lose them. An
 * account whose customer DCMS does not have yet (`CUS001`) waits three days: the customer event
 * that releases it comes from core banking, often after a KYC or data fix by the bank's back
 * office, which a weekend can hold up; at the capped backoff that wait costs about 96 calls a day,
 * under 0.02% of a 100 req/s tenant's daily budget, while giving up sooner would need an operator's
 * redrive for what resolves itself.
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  budgetSeconds: 86_400,
  categoryBudgetSeconds: { DependencyNotReady: 3 * 86_400 },
  backoffBaseSeconds: 30,
  backoffCapSeconds: 900,
  circuitTrialCapSeconds: 300,
};

/** SQS refuses a maxReceiveCount above 1,000. */
const SQS_MAX_RECEIVE_COUNT = 1_000;

/**
 * The queue's own safety net, for a record that crashes its worker before it can be settled (the
 * worker's safety net counts attempts: `safetyNetAttempts`): three times the receives a record can
 * take within the queue's budget at steady state (the ladder up to the cap, then one receive per cap
 * or per circuit trial, whichever is sooner). Production: 3 × (6 + 86,400 / 300) = 882. Records
 * waiting longer (`CUS001`) move to the back of their group as new copies, each with its own count.
 */
export function safetyNetReceiveCount(policy: RetryPolicy): number {
  const ladder = Math.ceil(Math.log2(policy.backoffCapSeconds / policy.backoffBaseSeconds)) + 1;
  const steadyIntervalSeconds = Math.min(policy.backoffCapSeconds, policy.circuitTrialCapSeconds);
  return Math.min(SQS_MAX_RECEIVE_COUNT, 3 * (ladder + Math.ceil(policy.budgetSeconds / steadyIntervalSeconds)));
}

/** Both core-banking lanes: FIFO by customer, so one customer's events apply in order. */
const CORE_BANKING_LANE = {
  fifo: true,
  messageGroupField: 'entityId',
  highThroughputFifo: true,
  retry: DEFAULT_RETRY_POLICY,
  maxReceiveCount: safetyNetReceiveCount(DEFAULT_RETRY_POLICY),
  functionTimeoutSeconds: 60,
  batchSize: 10,
  batchingWindowSeconds: 0,
  dlqRetentionDays: 14,
} as const;

export const QUEUES = {
  coreBanking: { name: 'core-banking-events', ...CORE_BANKING_LANE },
  /**
   * The bulk lane of the core-banking worker: a bank's existing book loaded by `ops import`, the
   * same events and the same code, drawing on a smaller share of each tenant's DCMS budget so that
   * real-time events (the queue above) keep flowing while a tenant migrates.
   */
  coreBankingBulk: { name: 'core-banking-bulk', ...CORE_BANKING_LANE },
  courier: {
    name: 'courier-events',
    fifo: false,
    retry: DEFAULT_RETRY_POLICY,
    maxReceiveCount: safetyNetReceiveCount(DEFAULT_RETRY_POLICY),
    functionTimeoutSeconds: 60,
    batchSize: 100,
    batchingWindowSeconds: 5,
    dlqRetentionDays: 14,
  },
  cardControls: {
    name: 'card-controls',
    fifo: true,
    messageGroupField: 'cardId',
    highThroughputFifo: true,
    retry: DEFAULT_RETRY_POLICY,
    maxReceiveCount: safetyNetReceiveCount(DEFAULT_RETRY_POLICY),
    functionTimeoutSeconds: 30,
    batchSize: 10,
    batchingWindowSeconds: 0,
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

/** A queue's oldest message this old pages someone: an outage or a fleet behind, long before the retry budget dead-letters anything. */
export const oldestMessageAlarmSeconds = (queue: QueueDescription): number => Math.min(queue.retry.budgetSeconds, 3_600);

export const visibilityTimeoutSeconds = (queue: QueueDescription): number => queue.functionTimeoutSeconds * 6;

export const queueName = (prefix: string, queue: QueueDescription, dlq = false): string => `${prefix}-${queue.name}${dlq ? '-dlq' : ''}${queue.fifo ? '.fifo' : ''}`;

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

import { IdempotencyAlreadyInProgressError, IdempotencyPersistenceLayerError } from '@aws-lambda-powertools/idempotency';
import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import pMap from 'p-map';
import type { TenantDirectory } from '../config/tenants.js';
import { parseAcceptedEvent, type AcceptedEvent, type AcceptedEvents } from '../contracts/parse.js';
import { deadLetterReason } from '../messaging/dead-letter.js';
import { dueAtOf, originalMessageIdOf } from '../messaging/requeue.js';
import { receiveCountOf, type Settlement } from '../messaging/settle.js';
import { reportOutcome, type EventOutcome } from '../observability/telemetry.js';
import { decide as decideGroup, start as startGroup, type Observation as GroupObservation, type GroupConfig } from '../protocol/fifo-group/machine.js';
import { budgetSecondsFor, type RetryHistory } from '../protocol/retry/schedule.js';
import { ALL_SAFEGUARDS } from '../protocol/safeguards.js';
import { FailureCategory, IntegrationError, toIntegrationError } from '../resilience/errors.js';
import type { QueueWorkerRuntime } from './queue-runtime.js';

/**
 * Idempotency-layer failures in the taxonomy: another worker holding the same business key, or
 * the store being unreachable, are both "try again later".
 */
export function classifyRecordError(error: unknown): IntegrationError {
  if (error instanceof IdempotencyAlreadyInProgressError) {
    return new IntegrationError({ category: FailureCategory.Transient, code: 'IN_PROGRESS', message: 'the same business key is being processed by another delivery' });
  }
  if (error instanceof IdempotencyPersistenceLayerError) {
    return new IntegrationError({ category: FailureCategory.Transient, code: 'IDEMPOTENCY_STORE', message: 'idempotency store unavailable', cause: error });
  }
  return toIntegrationError(error);
}

/** What is known of a record when it fails: nothing, if it did not even parse. */
export interface RecordIdentity {
  eventId?: string | undefined;
  eventType: string;
}

/** The record's identity across its SQS copies, under which its retry history is kept. */
export const recordKeyOf = (record: SQSRecord, identity: RecordIdentity): string => (identity.eventId !== undefined ? `event#${identity.eventId}` : `message#${originalMessageIdOf(record)}`);

/**
 * A failed record through the one settlement policy: dead-lettered with its reason, or handed back
 * to SQS after its delay. Returns undefined when it could not be settled at all: the caller must
 * then report it as a batch item failure, so SQS redelivers it (never acknowledged, never lost).
 */
export async function settleFailedRecord(
  runtime: QueueWorkerRuntime,
  record: SQSRecord,
  error: unknown,
  identity: RecordIdentity,
  logger: Logger = runtime.telemetry.logger,
): Promise<Settlement | undefined> {
  let settlement: Settlement;
  try {
    settlement = await runtime.settler.settle(record, classifyRecordError(error), recordKeyOf(record, identity));
  } catch (settleError) {
    logger.error('could not settle a failed record; leaving it to SQS', { messageId: record.messageId, error: settleError as Error });
    return undefined;
  }
  const { category, code } = settlement.failure;
  const reason = deadLetterReason(settlement.failure);
  const outcome = settlement.kind === 'deadLettered' ? 'deadLettered' : 'retried';
  const retry = settlement.kind === 'retryLater' && {
    nextAttemptAt: Date.now() + settlement.delaySeconds * 1_000,
    firstFailedAt: settlement.history.firstFailedAt,
    givesUpAt: settlement.history.budgetFrom + budgetSecondsFor(runtime.settler.policy, settlement.failure.category) * 1_000,
  };
  reportOutcome(runtime.telemetry.metrics, runtime.observer, { messageId: originalMessageIdOf(record), ...identity, outcome, category, code, reason, ...retry });
  logger.warn('event not processed', {
    messageId: record.messageId,
    outcome: settlement.kind,
    category,
    code,
    reason,
    receiveCount: receiveCountOf(record),
    ...(settlement.kind === 'retryLater' && { dueInSeconds: settlement.delaySeconds, attempts: settlement.history.attempts }),
  });
  return settlement;
}

/** What a record's flow did with its event (failures are thrown). */
export interface Applied {
  outcome: Extract<EventOutcome, 'succeeded' | 'reconciled' | 'duplicate'>;
  /** Extra fields for the "event processed" log line (ids only, never personal data). */
  details?: Record<string, unknown>;
}

export interface RecordContext {
  record: SQSRecord;
  tenants: TenantDirectory;
  /** Epoch ms after which no new platform call starts in this invocation. */
  deadline: number;
}

/** One worker's handling of one event, between parsing and settlement. */
export interface RecordFlow<A extends AcceptedEvents> {
  /** The event types the worker takes, with their schemas: the only contracts its bundle builds. */
  accepts: A;
  /** Keys every log line of the record carries (ids, never personal data). */
  logKeys: (event: AcceptedEvent<A>) => Record<string, string>;
  apply: (event: AcceptedEvent<A>, context: RecordContext) => Promise<Applied>;
}

/** Message groups of one batch handled at once; each group's records stay in order. */
export const GROUP_CONCURRENCY = 10;

const groupOf = (record: SQSRecord): string => record.attributes.MessageGroupId ?? record.messageId;

/**
 * The invocation around a record flow on a FIFO queue: idempotency bound to the Lambda's remaining
 * time, tenants from configuration, the deadline, then every message group of the batch at once,
 * each group run by the FIFO group protocol (shared/protocol/fifo-group/machine.ts): its records one
 * after the other, a record that must be retried holding back the rest of its group (they come back
 * with it, when it is due, and being held back costs them no attempt), a record waiting on a
 * dependency its group may bring moving to the back. A bad record (not JSON, wrong schema) is
 * dead-lettered with its reason and its group goes on.
 */
export function fifoBatchHandler<A extends AcceptedEvents>(runtime: QueueWorkerRuntime, flow: RecordFlow<A>) {
  const { metrics } = runtime.telemetry;
  // A failed record holds back its group (the simulator alone can switch that off).
  const groupProtocol: GroupConfig = { holdBackOnFailure: (runtime.safeguards ?? ALL_SAFEGUARDS).cardOrder };

  /** 'done' when applied; its settlement when it failed; undefined when that failure could not even be settled. */
  async function processRecord(context: RecordContext): Promise<Settlement | undefined | 'done'> {
    const { record, tenants } = context;
    const logger = runtime.telemetry.logger.createChild();
    const identity: RecordIdentity = { eventType: 'unknown' };
    try {
      const event = parseAcceptedEvent(record.body, flow.accepts, tenants.names);
      identity.eventId = event.id;
      identity.eventType = event.type;
      logger.appendKeys({ eventId: event.id, eventType: event.type, tenant: event.tenant, ...flow.logKeys(event) });
      logger.debug('event received', { data: event.data });
      const { outcome, details } = await flow.apply(event, context);
      reportOutcome(metrics, runtime.observer, { messageId: originalMessageIdOf(record), eventId: event.id, eventType: event.type, outcome });
      logger.info('event processed', { outcome, ...details });
      return 'done';
    } catch (error) {
      return settleFailedRecord(runtime, record, error, identity, logger);
    }
  }

  /** True when the copy is queued (the original is then acknowledged); false leaves the record where it is. */
  async function moveToBack(record: SQSRecord, due: Parameters<QueueWorkerRuntime['requeuer']['toBackOfGroup']>[1]): Promise<boolean> {
    try {
      await runtime.requeuer.toBackOfGroup(record, due);
      return true;
    } catch (error) {
      runtime.telemetry.logger.warn('could not move a record to the back of its group; it holds the group instead', { messageId: record.messageId, error: error as Error });
      return false;
    }
  }

  /** Runs one message group through the FIFO group protocol; returns the records SQS must deliver again. */
  async function runGroup(records: readonly SQSRecord[], tenants: TenantDirectory, deadline: number): Promise<SQSRecord[]> {
    const histories = new Map<number, RetryHistory>();
    let step = startGroup(records.length);
    while (step.action.kind !== 'finish') {
      const action = step.action;
      const record = records[action.index]!;
      let observation: GroupObservation;
      if (action.kind === 'inspect') observation = { kind: 'inspected', dueAt: dueAtOf(record), now: Date.now() };
      else if (action.kind === 'moveToBack') observation = { kind: (await moveToBack(record, { dueAt: action.dueAt, history: histories.get(action.index) })) ? 'moved' : 'moveFailed' };
      else {
        const settled = await processRecord({ record, tenants, deadline });
        if (settled === 'done') observation = { kind: 'applied' };
        else if (settled === undefined) observation = { kind: 'unsettled' };
        else if (settled.kind === 'deadLettered') observation = { kind: 'deadLettered' };
        else {
          histories.set(action.index, settled.history);
          observation = { kind: 'retryLater', waitsOnDependency: settled.failure.category === FailureCategory.DependencyNotReady, delaySeconds: settled.delaySeconds, now: Date.now() };
        }
      }
      step = decideGroup(groupProtocol, step.state, observation);
    }
    const { end } = step.action;
    if (end.delay) await Promise.all(records.slice(end.delay.from).map((r) => runtime.settler.delay(r, end.delay!.seconds)));
    return [...(end.failed ?? []).map((i) => records[i]!), ...(end.failFrom === undefined ? [] : records.slice(end.failFrom))];
  }

  return async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    runtime.idempotency.config.registerLambdaContext(context);
    metrics.addMetric('RecordsReceived', MetricUnit.Count, event.Records.length);
    const tenants = await runtime.tenants();
    const deadline = runtime.deadline(context);
    const groups = Map.groupBy(event.Records, groupOf);
    const failed = await pMap(groups.values(), (records) => runGroup(records, tenants, deadline), { concurrency: GROUP_CONCURRENCY });
    return { batchItemFailures: failed.flat().map((r) => ({ itemIdentifier: r.messageId })) };
  };
}

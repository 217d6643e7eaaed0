import { makeIdempotent } from '@aws-lambda-powertools/idempotency';
import type { SQSRecord } from 'aws-lambda';
import type { TenantDirectory } from '../../shared/config/tenants.js';
import { CARD_CONTROL_REQUESTED, parseEvent, type CardControlEvent } from '../../shared/contracts/index.js';
import { mayHaveBeenSent } from '../../shared/messaging/settle.js';
import { reportOutcome } from '../../shared/observability/telemetry.js';
import { instrument } from '../../shared/observability/instrument.js';
import { businessKeys } from '../../shared/persistence/idempotency.js';
import { FailureCategory, IntegrationError } from '../../shared/resilience/errors.js';
import type { Card91WorkerRuntime } from '../../shared/worker/card91-runtime.js';
import { recordBatchHandler, settleFailedRecord } from '../../shared/worker/record-batch.js';
import { applyControl, type ControlFlow, type ControlOutcome } from './apply-control.js';

interface Work {
  /** Tenant-scoped business key (the command's id): the only part of the payload the idempotency record is keyed on. */
  key: string;
  event: CardControlEvent;
  flow: ControlFlow;
}

/** Set by the idempotent function when it really runs, so a stored result can be told apart (a duplicate). */
interface Execution {
  executed: boolean;
}

const LOG_KEYS = ['eventId', 'tenant', 'cardId', 'action', 'eventType'];

/** A record reached after the invocation's deadline is handed back to SQS untouched, rather than cut off mid-write. */
const outOfTime = () =>
  new IntegrationError({ category: FailureCategory.Transient, code: 'DEADLINE', message: 'no time left in this invocation to call Card91' });

/**
 * The card-controls worker: a standard queue of commands from the bank's channels, each applied to
 * Card91 once (idempotent per command id). Records of a batch are processed one after the other:
 * two commands for the same card in one batch are applied in the order received, and each log line
 * carries the keys of its own record.
 */
export function createCardControlsHandler(runtime: Card91WorkerRuntime) {
  const { logger, metrics } = runtime.telemetry;

  const controlOnce = makeIdempotent(
    async ({ event, flow }: Work, execution: Execution): Promise<ControlOutcome> => {
      execution.executed = true;
      return applyControl(event.data, flow);
    },
    { persistenceStore: runtime.idempotency.persistenceStore, config: runtime.idempotency.config, keyPrefix: 'card-controls' },
  );

  async function processRecord(record: SQSRecord, tenants: TenantDirectory, deadline: number): Promise<void> {
    let eventType = 'unknown';
    let eventId: string | undefined;
    try {
      const event = parseEvent(record.body, [CARD_CONTROL_REQUESTED], tenants.names);
      eventType = event.type;
      eventId = event.id;
      logger.appendKeys({ eventId, tenant: event.tenant, cardId: event.data.cardId, action: event.data.action, eventType });
      // `mobile` is masked by key in every log line (shared/observability/masking.ts).
      logger.debug('event received', { data: event.data });
      if (Date.now() >= deadline) throw outOfTime();
      const flow: ControlFlow = { card91: runtime.card91, mayHaveBeenSent: mayHaveBeenSent(record), deadline };
      const execution: Execution = { executed: false };
      const outcome = await controlOnce({ key: businessKeys.cardControl(event.tenant, event.id), event, flow }, execution);
      const result = !execution.executed ? 'duplicate' : outcome.reconciled ? 'reconciled' : 'succeeded';
      reportOutcome(metrics, runtime.observer, { messageId: record.messageId, eventId, eventType, outcome: result });
      logger.info('event processed', { outcome: result });
    } catch (error) {
      await settleFailedRecord(runtime, record, error, { eventId, eventType });
    } finally {
      logger.removeKeys(LOG_KEYS);
    }
  }

  return instrument(recordBatchHandler(runtime, processRecord, { fifo: false }), runtime.telemetry);
}

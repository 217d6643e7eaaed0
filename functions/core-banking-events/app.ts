import { makeIdempotent } from '@aws-lambda-powertools/idempotency';
import type { SQSRecord } from 'aws-lambda';
import { ACCOUNT_OPENED, CUSTOMER_CREATED, parseEvent, type AccountOpenedEvent, type CustomerCreatedEvent } from '../../shared/contracts/index.js';
import type { TenantDirectory } from '../../shared/config/tenants.js';
import { mayHaveBeenSent } from '../../shared/messaging/settle.js';
import { reportOutcome } from '../../shared/observability/telemetry.js';
import { instrument } from '../../shared/observability/instrument.js';
import { businessKeys } from '../../shared/persistence/idempotency.js';
import { recordBatchHandler, settleFailedRecord } from '../../shared/worker/record-batch.js';
import type { WorkerRuntime } from '../../shared/worker/runtime.js';
import { registerCard } from './register-card.js';
import { registerCustomer, type FlowContext, type RegistrationOutcome } from './register-customer.js';

type CoreBankingEvent = CustomerCreatedEvent | AccountOpenedEvent;
const ACCEPTED = [CUSTOMER_CREATED, ACCOUNT_OPENED] as const;

interface Work {
  /** Tenant-scoped business key: the only part of the payload the idempotency record is keyed on. */
  key: string;
  event: CoreBankingEvent;
  flow: FlowContext;
}

/** Set by the idempotent function when it really runs, so a stored result can be told apart (a duplicate). */
interface Execution {
  executed: boolean;
}

const keyOf = (event: CoreBankingEvent): string =>
  event.type === CUSTOMER_CREATED
    ? businessKeys.customer(event.tenant, event.data.entityId)
    : businessKeys.card(event.tenant, event.data.entityId, event.data.accountNo, event.data.cardType);

/**
 * The core-banking worker: a FIFO queue grouped by `tenant:entityId`. A record that must be
 * retried holds back the later records of its group (skipGroupOnError), so a customer's events are
 * applied in order while other customers go on.
 */
export function createCoreBankingHandler(runtime: WorkerRuntime) {
  const { logger, metrics } = runtime.telemetry;

  const issueOnce = makeIdempotent(
    async ({ event, flow }: Work, execution: Execution): Promise<RegistrationOutcome> => {
      execution.executed = true;
      const outcome = event.type === CUSTOMER_CREATED ? await registerCustomer(event, flow) : await registerCard(event, flow);
      for (const kit of outcome.kits) {
        await runtime.ledger.recordIssued({ tenant: event.tenant, kitNo: kit.kitNo, entityId: outcome.entityId, accountNo: kit.accountNo, cardType: kit.cardType });
      }
      return outcome;
    },
    { persistenceStore: runtime.idempotency.persistenceStore, config: runtime.idempotency.config, keyPrefix: 'core-banking' },
  );

  async function processRecord(record: SQSRecord, tenants: TenantDirectory, deadline: number): Promise<void> {
    let eventType = 'unknown';
    let eventId: string | undefined;
    try {
      const event = parseEvent(record.body, ACCEPTED, tenants.names);
      eventType = event.type;
      eventId = event.id;
      logger.appendKeys({ eventId: event.id, tenant: event.tenant, entityId: event.data.entityId, eventType });
      logger.debug('event received', { data: event.data });
      const flow: FlowContext = { dcms: runtime.dcms, tenant: tenants.get(event.tenant), mayHaveBeenSent: mayHaveBeenSent(record), deadline };
      const execution: Execution = { executed: false };
      const outcome = await issueOnce({ key: keyOf(event), event, flow }, execution);
      const result = !execution.executed ? 'duplicate' : outcome.reconciled ? 'reconciled' : 'succeeded';
      reportOutcome(metrics, runtime.observer, { messageId: record.messageId, eventId, eventType, outcome: result });
      logger.info('event processed', { outcome: result, kitNos: outcome.kits.map((k) => k.kitNo) });
    } catch (error) {
      await settleFailedRecord(runtime, record, error, { eventId, eventType });
    } finally {
      logger.removeKeys(['eventId', 'tenant', 'entityId', 'eventType']);
    }
  }

  return instrument(recordBatchHandler(runtime, processRecord, { fifo: true }), runtime.telemetry);
}

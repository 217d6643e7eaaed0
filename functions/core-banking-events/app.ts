import { makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { ACCOUNT_OPENED, accountOpenedEvent, type AccountOpenedEvent } from '../../shared/contracts/account-opened.js';
import { CUSTOMER_CREATED, customerCreatedEvent, type CustomerCreatedEvent } from '../../shared/contracts/customer-created.js';
import { mayHaveBeenSent } from '../../shared/messaging/settle.js';
import { instrument } from '../../shared/observability/instrument.js';
import { ALL_SAFEGUARDS } from '../../shared/protocol/safeguards.js';
import { businessKeys } from '../../shared/persistence/idempotency.js';
import { fifoBatchHandler, type RecordContext } from '../../shared/worker/record-batch.js';
import type { DcmsWorkerRuntime } from '../../shared/worker/dcms-runtime.js';
import { coveredCards } from './first-issue.js';
import { registerCard } from './register-card.js';
import { registerCustomer } from './register-customer.js';
import type { RegistrationContext, RegistrationOutcome } from './registration.js';

type CoreBankingEvent = CustomerCreatedEvent | AccountOpenedEvent;

/** The idempotent unit: only `key`, the tenant-scoped business key, is hashed into the record's id. */
interface Registration {
  key: string;
  event: CoreBankingEvent;
  context: RegistrationContext;
}

/** Set by the idempotent function when it really runs, so a stored result can be told apart (a duplicate). */
interface Run {
  executed: boolean;
}

const keyOf = (event: CoreBankingEvent): string =>
  event.type === CUSTOMER_CREATED ? businessKeys.customer(event.tenant, event.data.entityId) : businessKeys.card(event.tenant, event.data.entityId, event.data.accountNo, event.data.cardType);

/**
 * The core-banking worker: a FIFO queue grouped by `tenant:entityId`, so a customer's events are
 * applied in order while other customers go on.
 */
export function createCoreBankingHandler(runtime: DcmsWorkerRuntime) {
  const safeguards = runtime.safeguards ?? ALL_SAFEGUARDS;
  const register = makeIdempotent(
    async ({ event, context }: Registration, run: Run): Promise<RegistrationOutcome> => {
      run.executed = true;
      const outcome = event.type === CUSTOMER_CREATED ? await registerCustomer(event, context) : await registerCard(event, context);
      for (const kit of outcome.kits) {
        await runtime.ledger.recordIssued({ tenant: event.tenant, kitNo: kit.kitNo, entityId: outcome.entityId, accountNo: kit.accountNo, cardType: kit.cardType });
      }
      // Only once the registration's outcome is known, and its kits recorded, does the ledger cover the customer.
      const cards = event.type === CUSTOMER_CREATED ? coveredCards(event, outcome.kits) : undefined;
      if (cards) await runtime.customers.recordCovered(event.tenant, outcome.entityId, cards);
      return outcome;
    },
    { persistenceStore: runtime.idempotency.persistenceStore, config: runtime.idempotency.config, keyPrefix: 'core-banking' },
  );

  const apply = async (event: CoreBankingEvent, { record, tenants, deadline }: RecordContext) => {
    const context: RegistrationContext = {
      dcms: runtime.dcms,
      tenant: tenants.get(event.tenant),
      mayHaveBeenSent: mayHaveBeenSent(record),
      deadline,
      pendingSends: runtime.pendingSends,
      customers: runtime.customers,
      issueLedger: safeguards.issueLedger,
      writeOnce: { settleWindowMs: safeguards.settleWindow ? runtime.env.SETTLE_WINDOW_SECONDS * 1_000 : 0, writeAheadMarker: safeguards.writeAheadMarker },
      clock: Date.now,
    };
    const run: Run = { executed: false };
    const outcome = await register({ key: keyOf(event), event, context }, run);
    return { outcome: !run.executed ? 'duplicate' : outcome.reconciled ? 'reconciled' : 'succeeded', details: { kitNos: outcome.kits.map((k) => k.kitNo) } } as const;
  };

  return instrument(
    fifoBatchHandler(runtime, { accepts: { [CUSTOMER_CREATED]: customerCreatedEvent, [ACCOUNT_OPENED]: accountOpenedEvent }, logKeys: (event) => ({ entityId: event.data.entityId }), apply }),
    runtime.telemetry,
  );
}

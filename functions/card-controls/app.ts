import { makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { CARD_CONTROL_REQUESTED, cardControlEvent, type CardControlEvent } from '../../shared/contracts/card-control.js';
import { mayHaveBeenSent } from '../../shared/messaging/settle.js';
import { instrument } from '../../shared/observability/instrument.js';
import { businessKeys } from '../../shared/persistence/idempotency.js';
import { FailureCategory, IntegrationError } from '../../shared/resilience/errors.js';
import type { Card91WorkerRuntime } from '../../shared/worker/card91-runtime.js';
import { fifoBatchHandler, type RecordContext } from '../../shared/worker/record-batch.js';
import { applyControl, type ControlFlow, type ControlOutcome } from './apply-control.js';

/** The idempotent unit: only `key` (the command's tenant-scoped id) is hashed into the record's id. */
interface Control {
  key: string;
  event: CardControlEvent;
  flow: ControlFlow;
}

/** Set by the idempotent function when it really runs, so a stored result can be told apart (a duplicate). */
interface Run {
  executed: boolean;
}

/** A record reached after the invocation's deadline is handed back to SQS untouched, rather than cut off mid-write. */
const outOfTime = () => new IntegrationError({ category: FailureCategory.Transient, code: 'DEADLINE', message: 'no time left in this invocation to call Card91' });

/**
 * The card-controls worker: a FIFO queue of commands from the bank's channels, grouped by
 * `tenant:cardId`, each applied to Card91 once (idempotent per command id). Commands for one card
 * apply in the order the bank sent them, across batches too: a FREEZE and a later UNFREEZE never
 * cross, and a command that must be retried holds back the later ones of its card.
 */
export function createCardControlsHandler(runtime: Card91WorkerRuntime) {
  const control = makeIdempotent(
    async ({ event, flow }: Control, run: Run): Promise<ControlOutcome> => {
      run.executed = true;
      return applyControl(event.data, flow);
    },
    { persistenceStore: runtime.idempotency.persistenceStore, config: runtime.idempotency.config, keyPrefix: 'card-controls' },
  );

  const apply = async (event: CardControlEvent, { record, deadline }: RecordContext) => {
    if (Date.now() >= deadline) throw outOfTime();
    const flow: ControlFlow = { card91: runtime.card91, mayHaveBeenSent: mayHaveBeenSent(record), deadline };
    const run: Run = { executed: false };
    const outcome = await control({ key: businessKeys.cardControl(event.tenant, event.id), event, flow }, run);
    return { outcome: !run.executed ? 'duplicate' : outcome.reconciled ? 'reconciled' : 'succeeded' } as const;
  };

  // `mobile` is masked by key in every log line (shared/observability/masking.ts).
  return instrument(
    fifoBatchHandler(runtime, { accepts: { [CARD_CONTROL_REQUESTED]: cardControlEvent }, logKeys: (event) => ({ cardId: event.data.cardId, action: event.data.action }), apply }),
    runtime.telemetry,
  );
}

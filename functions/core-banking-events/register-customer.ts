import type { CustomerCreatedEvent } from '../../shared/contracts/index.js';
import { ENTITY_ALREADY_EXISTS } from '../../shared/dcms/classify.js';
import { toRegisterCustomer } from '../../shared/dcms/mapping.js';
import { requestIdFor } from '../../shared/dcms/request-id.js';
import type { CustomerView } from '../../shared/dcms/schemas.js';
import { businessKeys } from '../../shared/persistence/idempotency.js';
import { runWriteOnce } from '../../shared/protocol/write-once/run.js';
import { FailureCategory, IntegrationError } from '../../shared/resilience/errors.js';
import { findKit, toIssuedKits } from './issued-kits.js';
import { registerCard } from './register-card.js';
import type { RegistrationContext, RegistrationOutcome } from './registration.js';

/**
 * `bank.customer.created.v1` → `/register`, insta-card included. A duplicate entityId is success
 * only when viewCustomer shows the same person; a customer that exists without the requested
 * insta-card gets the card through `/registerCard` (which reads the customer's kits first).
 */
export async function registerCustomer(event: CustomerCreatedEvent, context: RegistrationContext): Promise<RegistrationOutcome> {
  const { data } = event;
  const tenant = context.tenant.tenant;
  const key = businessKeys.customer(tenant, data.entityId);
  const { result, reconciled } = await runWriteOnce(
    context.writeOnce,
    {
      send: async () => {
        const answer = await context.dcms.register(tenant, toRegisterCustomer(data, context.tenant), { deadline: context.deadline, ...requestIdFor(context.tenant, key) });
        return { entityId: answer.entityId, kits: toIssuedKits(answer.kitInfo, data.card) };
      },
      read: async () => {
        const view = await context.dcms.viewCustomer(tenant, data.entityId, { deadline: context.deadline });
        if (!view) return undefined;
        assertSamePerson(view, event);
        // viewCustomer lists kits without their accounts: the kit read says which account each is for.
        const kits = await context.dcms.fetchKitsByEntityId(tenant, data.entityId, { deadline: context.deadline });
        return { entityId: view.entityId, kits: toIssuedKits(kits ?? []) };
      },
      checkFirst: context.mayHaveBeenSent,
      isAlreadyDone: (error) => error.code === ENTITY_ALREADY_EXISTS,
      deadline: context.deadline,
    },
    { marker: { port: context.pendingSends, key }, clock: context.clock },
  );
  if (!reconciled || !data.card || findKit(result.kits, data.card)) return { ...result, reconciled };

  // The customer exists but the insta-card does not: issue it as an additional card.
  const card = await registerCard({ ...event, type: 'bank.account.opened.v1', data: { entityId: data.entityId, ...data.card } }, context);
  return { entityId: result.entityId, kits: [...result.kits, ...card.kits], reconciled: true };
}

/** An existing entityId held by someone else is a data conflict an operator must resolve. */
function assertSamePerson(view: CustomerView, event: CustomerCreatedEvent): void {
  const stored = view as CustomerView & { firstName?: string; lastName?: string; dob?: string };
  const { firstName, lastName, dob } = event.data;
  const differs = (a: string | undefined, b: string) => a !== undefined && a.trim().toUpperCase() !== b.trim().toUpperCase();
  if (differs(stored.firstName, firstName) || differs(stored.lastName, lastName) || differs(stored.dob, dob)) {
    throw new IntegrationError({
      category: FailureCategory.Permanent,
      code: 'ENTITY_CONFLICT',
      message: `DCMS already holds entityId ${event.data.entityId} for a different person (name or date of birth differ)`,
    });
  }
}

import type { CustomerCreatedEvent } from '../../shared/contracts/index.js';
import type { TenantSettings } from '../../shared/config/tenants.js';
import { ENTITY_ALREADY_EXISTS } from '../../shared/dcms/classify.js';
import { sendAtMostOnce } from '../../shared/resilience/at-most-once.js';
import type { DcmsClient } from '../../shared/dcms/client.js';
import { toRegisterCustomer } from '../../shared/dcms/mapping.js';
import type { CustomerView } from '../../shared/dcms/schemas.js';
import { FailureCategory, IntegrationError } from '../../shared/resilience/errors.js';
import { findKit, type IssuedKit, toIssuedKits } from './issued-kits.js';
import { registerCard } from './register-card.js';

export interface RegistrationOutcome {
  entityId: string;
  kits: IssuedKit[];
  /** The effect was already on the platform (found by a read) rather than made by this call. */
  reconciled: boolean;
}

export interface FlowContext {
  dcms: DcmsClient;
  tenant: TenantSettings;
  /** A previous delivery of this event may have reached DCMS (SQS receive count above 1). */
  mayHaveBeenSent: boolean;
  deadline: number;
}

/**
 * `bank.customer.created.v1` → `/register`, insta-card included. A duplicate entityId is success
 * only when viewCustomer shows the same person; a customer that exists without the requested
 * insta-card gets the card through `/registerCard` (which is itself check-first).
 */
export async function registerCustomer(event: CustomerCreatedEvent, flow: FlowContext): Promise<RegistrationOutcome> {
  const { data } = event;
  const tenant = flow.tenant.tenant;
  const reconcile = async () => {
    const view = await flow.dcms.viewCustomer(tenant, data.entityId, { deadline: flow.deadline });
    if (!view) return undefined;
    assertSamePerson(view, event);
    return { entityId: view.entityId, kits: toIssuedKits(view.kitInfo) };
  };
  const { result, reconciled } = await sendAtMostOnce({
    send: async () => {
      const answer = await flow.dcms.register(tenant, toRegisterCustomer(data, flow.tenant), { deadline: flow.deadline });
      return { entityId: answer.entityId, kits: toIssuedKits(answer.kitInfo, data.card) };
    },
    reconcile,
    checkFirst: flow.mayHaveBeenSent,
    isAlreadyDone: (error) => error.code === ENTITY_ALREADY_EXISTS,
  });
  if (!reconciled || !data.card || findKit(result.kits, data.card)) return { ...result, reconciled };

  // The customer exists but the insta-card does not (we just read it): issue it as an additional card.
  const card = await registerCard(
    { ...event, type: 'bank.account.opened.v1', data: { entityId: data.entityId, ...data.card } },
    flow,
    { customerJustRead: true },
  );
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

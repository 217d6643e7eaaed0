import type { AccountOpenedEvent } from '../../shared/contracts/index.js';
import { sendAtMostOnce } from '../../shared/resilience/at-most-once.js';
import { toRegisterCard } from '../../shared/dcms/mapping.js';
import { findKit, toIssuedKits } from './issued-kits.js';
import type { FlowContext, RegistrationOutcome } from './register-customer.js';

/**
 * `bank.account.opened.v1` → `/registerCard`. `/registerCard` has no natural key: a blind send
 * can issue a second card, and a card may exist that no idempotency record of ours knows about
 * (an insta-card from `/register`, a redrive after the record expired, a DLQ move by SQS itself).
 * So viewCustomer is always read first, unless the caller has just read it, and a kit already
 * issued for this account and card type is the result. One read per card is the price.
 * CUS001 (customer not there yet) leaves as DependencyNotReady: retried later through SQS.
 */
export async function registerCard(event: AccountOpenedEvent, flow: FlowContext, { customerJustRead = false } = {}): Promise<RegistrationOutcome> {
  const { data } = event;
  const tenant = flow.tenant.tenant;
  const wanted = { accountNo: data.accountNo, cardType: data.cardType };
  const reconcile = async () => {
    const view = await flow.dcms.viewCustomer(tenant, data.entityId, { deadline: flow.deadline });
    const kit = view && findKit(toIssuedKits(view.kitInfo), wanted);
    return kit ? { entityId: data.entityId, kits: [kit] } : undefined;
  };
  const { result, reconciled } = await sendAtMostOnce({
    send: async () => {
      const answer = await flow.dcms.registerCard(tenant, toRegisterCard(data), { deadline: flow.deadline });
      return { entityId: answer.entityId, kits: toIssuedKits(answer.kitInfo, wanted) };
    },
    reconcile,
    checkFirst: !customerJustRead,
  });
  return { ...result, reconciled };
}

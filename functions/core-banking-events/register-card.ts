import type { AccountOpenedEvent } from '../../shared/contracts/index.js';
import { toRegisterCard } from '../../shared/dcms/mapping.js';
import { requestIdFor } from '../../shared/dcms/request-id.js';
import { businessKeys } from '../../shared/persistence/idempotency.js';
import { runWriteOnce } from '../../shared/protocol/write-once/run.js';
import { firstIssue } from './first-issue.js';
import { findKit, toIssuedKits } from './issued-kits.js';
import type { RegistrationContext, RegistrationOutcome } from './registration.js';

/**
 * `bank.account.opened.v1` → `/registerCard`. `/registerCard` has no natural key: a blind send
 * can issue a second card, and a card may exist that no idempotency record of ours knows about
 * (an insta-card from `/register`, a redrive after the record expired, a DLQ move by SQS itself).
 * So the customer's kits are read first, with the documented read that maps kits to accounts
 * (`/kit-manager/fetchKitsByEntityId`; `/viewCustomer` lists kits without their account), and a kit
 * already issued for this account and card type, in any status, is the result; the read is left
 * out only where it cannot change the decision (first-issue.ts). After a send whose outcome is
 * unknown, nothing is sent again until the settle window has passed.
 * CUS001 (customer not there yet) leaves as DependencyNotReady: retried later through SQS.
 */
export async function registerCard(event: AccountOpenedEvent, context: RegistrationContext): Promise<RegistrationOutcome> {
  const { data } = event;
  const tenant = context.tenant.tenant;
  const wanted = { accountNo: data.accountNo, cardType: data.cardType };
  const key = businessKeys.card(tenant, data.entityId, data.accountNo, data.cardType);
  const before = await firstIssue(data, context);
  if (before.kind === 'inLedger') return { entityId: data.entityId, kits: [before.kit], reconciled: true };
  const { result, reconciled } = await runWriteOnce(
    context.writeOnce,
    {
      send: async () => {
        const answer = await context.dcms.registerCard(tenant, toRegisterCard(data), { deadline: context.deadline, ...requestIdFor(context.tenant, key) });
        return { entityId: answer.entityId, kits: toIssuedKits(answer.kitInfo, wanted) };
      },
      read: async () => {
        const kits = await context.dcms.fetchKitsByEntityId(tenant, data.entityId, { deadline: context.deadline });
        const kit = kits && findKit(toIssuedKits(kits), wanted);
        return kit ? { entityId: data.entityId, kits: [kit] } : undefined;
      },
      checkFirst: before.checkFirst,
      deadline: context.deadline,
    },
    { marker: { port: context.pendingSends, key }, clock: context.clock },
  );
  return { ...result, reconciled };
}

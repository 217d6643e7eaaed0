import { accountNotFound, invalidInput } from '../dcms-errors.js';
import { ok } from '../envelope.js';
import { accountKit, entityKit } from '../kit-views.js';
import type { DcmsHandler } from '../pipeline.js';
import { fetchKitsByAccountNoQuery, fetchKitsByAccountNoRequest, fetchKitsByEntityIdRequest, validate } from '../schemas.js';
import type { SandboxStore } from '../store.js';
import { forExistingCustomer } from './existing-customer.js';

/**
 * `POST /kit-manager/fetchKitsByEntityId` (docs/reference/dcms.md §3.4a): every kit of the customer in any card
 * status, REPLACED included, each with its `accountNo` as a string; `result` is a bare array.
 * An unknown customer is CUS001, as for viewCustomer.
 */
export const fetchKitsByEntityId = (store: SandboxStore): DcmsHandler =>
  forExistingCustomer(store, fetchKitsByEntityIdRequest, (_input, customer, { tenant }) => ok(store.kitsOf(tenant, customer).map(entityKit), 'string'));

const optionalText = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/**
 * `POST /kit-manager/fetchKitsByAccountNo` (docs/reference/dcms.md §3.4b): one object for the account, with every
 * customer holding it and their kits on it. Only ACTIVE cards unless `?isAllCardsRequired=true`, so
 * a freshly issued (INACTIVE) card is missing from a plain call, exactly the trap the reference
 * warns about. An account DCMS knows from no customer and no kit is `account.not.found` (the
 * reference does not say; this is the sandbox's choice).
 */
export const fetchKitsByAccountNo =
  (store: SandboxStore): DcmsHandler =>
  ({ tenant, body, query }) => {
    const input = validate(fetchKitsByAccountNoRequest, body);
    const options = validate(fetchKitsByAccountNoQuery, query);
    if (!input.ok || !options.ok) return invalidInput([...(input.ok ? [] : input.fieldError), ...(options.ok ? [] : options.fieldError)]);
    const { accountNo } = input.value;
    const found = store.accountHolders(tenant, accountNo);
    if (found === undefined) return accountNotFound();
    const allCards = options.value.isAllCardsRequired === true;
    const listed = found.holders.find((holder) => holder.account !== undefined)?.account;
    return ok(
      {
        accountNo,
        accountStatus: optionalText(listed?.accountStatus),
        accountType: optionalText(listed?.accountType),
        entity: found.holders.map(({ customer, account, kits }) => ({
          entityId: customer.profile.entityId,
          isPrimary: account?.isPrimary === true,
          kitInfo: kits.filter((kit) => allCards || kit.card.cardStatus === 'ACTIVE').map(accountKit),
        })),
      },
      'string',
    );
  };

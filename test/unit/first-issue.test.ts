import { describe, expect, it } from 'vitest';
import { coveredCards, firstIssue } from '../../functions/core-banking-events/first-issue.js';
import type { RegistrationContext } from '../../functions/core-banking-events/registration.js';
import { customerCreatedEvent } from '../../shared/contracts/customer-created.js';
import type { CustomerCoverage } from '../../shared/persistence/customer-ledger.js';
import { customerCreated } from '../support/events.js';

const wanted = { entityId: 'C1', accountNo: '8642135', cardType: 'PHYSICAL' };

/** Only what firstIssue reads of the context; the ledger's answer is given, and each lookup counted. */
function context(facts: { mayHaveBeenSent?: boolean; verify?: boolean; coverage?: CustomerCoverage; issueLedger?: boolean }) {
  const lookups: string[] = [];
  const ctx = {
    mayHaveBeenSent: facts.mayHaveBeenSent ?? false,
    issueLedger: facts.issueLedger ?? true,
    tenant: { tenant: 'ACME_BANK', verifyBeforeFirstIssue: facts.verify ?? false },
    customers: {
      coverage: async (_tenant: string, entityId: string) => {
        lookups.push(entityId);
        return facts.coverage;
      },
      recordCovered: async () => undefined,
    },
  } as unknown as RegistrationContext;
  return { ctx, lookups };
}

const covered = (cards: CustomerCoverage['cards'] = []): CustomerCoverage => ({ coveredSince: '2026-12-06T00:00:00.000Z', cards });

describe('the read before a first card', () => {
  it('sends unread only for a first delivery, of a tenant that issues nowhere else, for a customer the ledger covers', async () => {
    const { ctx } = context({ coverage: covered() });
    expect(await firstIssue(wanted, ctx)).toEqual({ kind: 'send', checkFirst: false });
  });

  it('reads first for a redelivered or redriven record, without asking the ledger', async () => {
    const { ctx, lookups } = context({ mayHaveBeenSent: true, coverage: covered() });
    expect(await firstIssue(wanted, ctx)).toEqual({ kind: 'send', checkFirst: true });
    expect(lookups).toEqual([]);
  });

  it('reads first for a tenant that also issues elsewhere, without asking the ledger', async () => {
    const { ctx, lookups } = context({ verify: true, coverage: covered() });
    expect(await firstIssue(wanted, ctx)).toEqual({ kind: 'send', checkFirst: true });
    expect(lookups).toEqual([]);
  });

  it('reads first for a customer the ledger does not cover', async () => {
    const { ctx } = context({});
    expect(await firstIssue(wanted, ctx)).toEqual({ kind: 'send', checkFirst: true });
  });

  it("answers from the ledger when it holds the account's card (leading zeros aside)", async () => {
    const { ctx } = context({ coverage: covered([{ kitNo: 'K9', accountNo: '08642135', cardType: 'PHYSICAL' }]) });
    expect(await firstIssue(wanted, ctx)).toEqual({ kind: 'inLedger', kit: { kitNo: 'K9', accountNo: '08642135', cardType: 'PHYSICAL' } });
  });

  it('sends unread when the ledger holds only other accounts or card types', async () => {
    const { ctx } = context({
      coverage: covered([
        { kitNo: 'K1', accountNo: '8642135', cardType: 'VIRTUAL' },
        { kitNo: 'K2', accountNo: '1111', cardType: 'PHYSICAL' },
      ]),
    });
    expect(await firstIssue(wanted, ctx)).toEqual({ kind: 'send', checkFirst: false });
  });
});

describe("the cards a registration's outcome vouches for", () => {
  const plain = customerCreatedEvent.parse(customerCreated('C1'));
  const withInsta = customerCreatedEvent.parse(customerCreated('C1', { card: { accountNo: '8642135', cardType: 'VIRTUAL', deliveryAddress: 'PERMANENT' } }));

  it('covers a customer without cards, and one whose kits all say their account and type', () => {
    expect(coveredCards(plain, [])).toEqual([]);
    expect(coveredCards(withInsta, [{ kitNo: 'K1', accountNo: '8642135', cardType: 'VIRTUAL', cardStatus: 'ALLOCATED' }])).toEqual([{ kitNo: 'K1', accountNo: '8642135', cardType: 'VIRTUAL' }]);
  });

  it('does not cover a customer whose requested insta-card the outcome does not list', () => {
    expect(coveredCards(withInsta, [])).toBeUndefined();
  });

  it('does not cover a customer with a kit whose account or card type is unknown', () => {
    expect(coveredCards(plain, [{ kitNo: 'K1', cardType: 'VIRTUAL' }])).toBeUndefined();
    expect(coveredCards(plain, [{ kitNo: 'K1', accountNo: '1' }])).toBeUndefined();
  });
});

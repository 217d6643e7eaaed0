import type { CustomerCreatedEvent } from '../../shared/contracts/index.js';
import type { CoveredCard } from '../../shared/persistence/customer-ledger.js';
import { findKit, type IssuedKit } from './issued-kits.js';
import type { RegistrationContext } from './registration.js';

/** What to do before a `/registerCard`: the card is already in our ledger, or send, reading DCMS first or not. */
export type FirstIssue = { kind: 'inLedger'; kit: IssuedKit } | { kind: 'send'; checkFirst: boolean };

/**
 * Whether a read of DCMS can change the decision to issue a card. It cannot when all of these hold,
 * and then `/registerCard` goes without one:
 *   - this delivery is the record's first (not redelivered, not redriven);
 *   - the tenant's cards are issued by this integration alone (`verifyBeforeFirstIssue: false`);
 *   - our ledger covers the customer: we know the outcome of its registration and the cards it
 *     held then, and none of them is this card;
 *   - no write-ahead marker of this card exists (the write-once machine reads one first whatever
 *     this says, and a marker stays once written unless DCMS refused the send).
 * Anything else reads first (docs/RELIABILITY.md, "Reading before a first card").
 */
export async function firstIssue(wanted: { entityId: string; accountNo: string; cardType: string }, context: RegistrationContext): Promise<FirstIssue> {
  if (context.mayHaveBeenSent) return { kind: 'send', checkFirst: true };
  // The simulator's "marker alone" variant, to show what the ledger and the tenant setting keep.
  if (!context.issueLedger) return { kind: 'send', checkFirst: false };
  if (context.tenant.verifyBeforeFirstIssue) return { kind: 'send', checkFirst: true };
  const coverage = await context.customers.coverage(context.tenant.tenant, wanted.entityId);
  if (!coverage) return { kind: 'send', checkFirst: true };
  const kit = findKit(coverage.cards, wanted);
  return kit ? { kind: 'inLedger', kit } : { kind: 'send', checkFirst: false };
}

/**
 * The cards a customer's registration leaves it with, when they are all known: each kit with its
 * account and card type, the requested insta-card among them. Undefined when the outcome cannot
 * vouch for every card (a kit without its account, an insta-card the answer does not list): the
 * customer is then not covered, and its first cards are read for.
 */
export function coveredCards(event: CustomerCreatedEvent, kits: readonly IssuedKit[]): CoveredCard[] | undefined {
  const cards = kits.flatMap((kit) => (kit.accountNo !== undefined && kit.cardType !== undefined ? [{ kitNo: kit.kitNo, accountNo: kit.accountNo, cardType: kit.cardType }] : []));
  if (cards.length !== kits.length) return undefined;
  const insta = event.data.card;
  if (insta && !findKit(cards, insta)) return undefined;
  return cards;
}

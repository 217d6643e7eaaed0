/**
 * The sandbox's in-memory platform: customers, their card programs (accounts), cards with limits,
 * transactions, loads and trips, plus the card-state rules Card91 enforces (docs/reference/card91.md §3 M6–M8):
 *   - BLOCKED is final: any later status or limit change is refused;
 *   - LOCKED / UNLOCKED toggle; unlocking restores the state the card had before the lock;
 *     repeating the current lock status is a no-op (so a reconciling caller can safely resend);
 *   - a per-transaction limit may not exceed its `maxPer*` ceiling.
 */
import { compareDecimals } from '../../shared/card91/money.js';
import type { CardStatusBody, SetLimitsBody } from './schemas.js';
import type { SandboxSeed, SeedCard, SeedCardProgram, SeedCustomer } from './seed-data.js';

/** A refusal the HTTP layer turns into a status code and `{"message": ...}`. */
export class SandboxRefusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'SandboxRefusal';
  }
}

const LIMIT_CEILINGS = [
  ['perAtmTxnLimit', 'maxPerAtmTxnLimit'],
  ['perOnlineTxnLimit', 'maxPerOnlineTxnLimit'],
  ['perPosTxnLimit', 'maxPerPosTxnLimit'],
  ['perContactlessTxnLimit', 'maxPerContactlessTxnLimit'],
] as const;

export const FORBIDDEN_MESSAGE = 'This user does not have the required privileges to perform this action';

export class SandboxState {
  private readonly customers: SeedCustomer[];

  constructor(seed: SandboxSeed) {
    this.customers = structuredClone(seed.customers);
  }

  customerByMobile(mobile: string): SeedCustomer | undefined {
    return this.customers.find((customer) => customer.mobile === mobile);
  }

  customerById(customerId: string): SeedCustomer | undefined {
    return this.customers.find((customer) => customer.id === customerId);
  }

  /** A copy of a card, whoever owns it (for inspection by tests and operators). */
  findCard(cardId: string): SeedCard | undefined {
    const found = this.locateCard(cardId);
    return found === undefined ? undefined : structuredClone(found.card);
  }

  /** The account (card program) `accountId`, if it belongs to `owner`: 404 when unknown, 403 when someone else's. */
  accountOf(owner: SeedCustomer, accountId: string): SeedCardProgram {
    for (const customer of this.customers) {
      const program = customer.cardPrograms.find((candidate) => candidate.accountId === accountId);
      if (program === undefined) continue;
      if (customer !== owner) throw new SandboxRefusal(403, FORBIDDEN_MESSAGE);
      return program;
    }
    throw new SandboxRefusal(404, 'Account not found');
  }

  /** The card `cardId`, if it belongs to `owner`: 404 when unknown, 403 when someone else's. */
  cardOf(owner: SeedCustomer, cardId: string): SeedCard {
    const found = this.locateCard(cardId);
    if (found === undefined) throw new SandboxRefusal(404, 'Card not found');
    if (found.owner !== owner) throw new SandboxRefusal(403, FORBIDDEN_MESSAGE);
    return found.card;
  }

  /** M7 / M8. */
  changeCardStatus(owner: SeedCustomer, cardId: string, request: CardStatusBody): void {
    const card = this.cardOf(owner, cardId);
    if (card.state === 'BLOCKED') throw new SandboxRefusal(400, 'Card is permanently blocked; its status cannot be changed');
    if (request.status === 'BLOCKED') {
      card.state = 'BLOCKED';
      card.blockedReason = request.blockedReason;
      delete card.stateBeforeLock;
    } else if (request.status === 'LOCKED') {
      if (card.state !== 'LOCKED') {
        card.stateBeforeLock = card.state;
        card.state = 'LOCKED';
      }
    } else if (card.state === 'LOCKED') {
      card.state = card.stateBeforeLock ?? 'ACTIVE';
      delete card.stateBeforeLock;
    }
  }

  private locateCard(cardId: string): { owner: SeedCustomer; card: SeedCard } | undefined {
    for (const owner of this.customers) {
      for (const program of owner.cardPrograms) {
        const card = program.cards.find((candidate) => candidate.id === cardId);
        if (card !== undefined) return { owner, card };
      }
    }
    return undefined;
  }

  /** M6: all-or-nothing; every currency must be configured on the card and every limit within its ceiling. */
  setCardLimits(owner: SeedCustomer, request: SetLimitsBody): SeedCard {
    const card = this.cardOf(owner, request.entityId);
    if (card.state === 'BLOCKED') throw new SandboxRefusal(400, 'Card is permanently blocked; its settings cannot be changed');
    const updates = request.limits.map((requested) => {
      const current = card.limits.find((line) => line.currency === requested.currency);
      if (current === undefined) throw new SandboxRefusal(400, `Currency ${requested.currency} is not enabled on this card`);
      for (const [field, ceiling] of LIMIT_CEILINGS) {
        if (compareDecimals(requested[field], current[ceiling]) > 0) {
          throw new SandboxRefusal(400, `${field} exceeds ${ceiling} for ${requested.currency}`);
        }
      }
      return { current, requested };
    });
    for (const { current, requested } of updates) Object.assign(current, requested);
    return card;
  }
}

import { FailureCategory, IntegrationError } from '../../shared/resilience/errors.js';
import type { World } from './world.js';

/** Card91 misbehaving: per-call chances of a 5xx before anything is applied, or after the change was applied. */
export interface Card91Faults {
  errorRate: number;
  commitThenFailRate: number;
}

export const NO_CARD91_FAULTS: Card91Faults = { errorRate: 0, commitThenFailRate: 0 };

const fault = (write: boolean, code: string): IntegrationError =>
  new IntegrationError({ category: write ? FailureCategory.UnknownOutcome : FailureCategory.Transient, code, message: `Card91: ${code}` });

/**
 * The Card91 double of the simulator: one customer's cards and the state changes the
 * card-controls worker makes (block, freeze, unfreeze), answered as the real client answers,
 * with every applied change logged for the order invariant.
 */
export class SimCard91 {
  faults: Card91Faults = NO_CARD91_FAULTS;
  private readonly states = new Map<string, string>();
  /** Every state change Card91 applied: the card and the state it set. */
  readonly changes: Array<{ cardId: string; state: string; at: number }> = [];

  constructor(private readonly world: World) {}

  seedCard(cardId: string): void {
    this.states.set(cardId, 'ACTIVE');
  }

  stateOf(cardId: string): string | undefined {
    return this.states.get(cardId);
  }

  async getCustomerDetail(_mobile: string) {
    return this.call(false, () => ({ cardPrograms: [{ cards: [...this.states].map(([id, state]) => ({ id, state })) }] }));
  }

  async blockCard(_mobile: string, cardId: string) {
    return this.call(true, () => this.set(cardId, 'BLOCKED'));
  }

  async setCardLock(_mobile: string, cardId: string, status: 'LOCKED' | 'UNLOCKED') {
    return this.call(true, () => {
      if (this.states.get(cardId) === 'BLOCKED') throw new IntegrationError({ category: FailureCategory.Permanent, code: 'C91_400', status: 400, message: 'Card91: card blocked' });
      this.set(cardId, status === 'LOCKED' ? 'LOCKED' : 'ACTIVE');
    });
  }

  private set(cardId: string, state: string): void {
    this.states.set(cardId, state);
    this.changes.push({ cardId, state, at: this.world.now });
  }

  private call<T>(write: boolean, apply: () => T): Promise<T> {
    const { world } = this;
    return world.remote(world.random.int(30, 200), () => {
      if (world.random.chance(this.faults.errorRate)) throw fault(write, 'C91_503');
      const result = apply();
      if (write && world.random.chance(this.faults.commitThenFailRate)) throw fault(true, 'C91_502');
      return result;
    });
  }
}

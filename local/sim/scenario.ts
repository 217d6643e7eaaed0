import { CARD_CONTROL_REQUESTED } from '../../shared/contracts/card-control.js';
import { accountOpened, customerCreated, event, kitStatus, type DemoEvent, type Person } from '../demo/events.js';
import type { Card91Faults } from './card91.js';
import type { DcmsFaults } from './dcms.js';
import type { StoreFaults } from './store.js';
import { EPOCH, type Random } from './world.js';

export const SIM_TENANT = 'ACME_BANK';

/** One event as the bank or the courier sends it, with where it goes. */
export interface Feed {
  queue: 'coreBanking' | 'courier' | 'cardControls';
  event: DemoEvent;
  /** Virtual ms after the start at which it is sent. */
  at: number;
  /** Sent twice (a producer's retry): the queue's deduplication or the workers' idempotency must absorb it. */
  twice: boolean;
  /** Sent only once a branch has issued this account's card in DCMS (a tenant that issues outside this integration). */
  afterBranchIssue?: boolean;
}

export interface Scenario {
  instances: number;
  /** Clock skew of each instance, ±2 s. */
  skewsMs: number[];
  feed: Feed[];
  /** Kits DCMS holds before the run, for courier scans. */
  kits: string[];
  /** Card91 cards of the one customer, for card controls. */
  cards: string[];
  /** Accounts whose customer never comes: they wait out their budget, then go to the DLQ. */
  orphans: Array<{ entityId: string; accountNo: string }>;
  /** A customer registered outside this integration, holding a card for an account whose event comes. */
  preRegistered: { entityId: string; accountNo: string; cardType: 'PHYSICAL' } | undefined;
  /** The tenant's cards are also issued by its branches (it sets `verifyBeforeFirstIssue`). */
  issuesElsewhere: boolean;
  faults: { dcms: DcmsFaults; store: StoreFaults; card91: Card91Faults; killRate: number };
  /** Faults stop here (virtual ms after the start); the run goes on until everything settles. */
  faultsUntilMs: number;
}

const STATUSES = ['IN_TRANSIT', 'DELIVERED', 'RETURNED', 'BANK'] as const;
const MOBILE = '919876543210';

let counter = 0;
/** Event ids from the seed's own sequence: a run is the same however often it is replayed. */
const withId = (seed: number, built: DemoEvent): DemoEvent => ({ ...built, id: `sim-${seed}-${++counter}`, time: new Date(EPOCH).toISOString() });

const person = (entityId: string, index: number): Person => ({
  entityId,
  firstName: 'ASHA',
  lastName: `SIM${index}`,
  gender: 'FEMALE',
  dob: '1990-01-01',
  mobile: `98765${String(10_000 + index).slice(-5)}`,
  city: 'CHENNAI',
  accountNo: String(5_000_000 + index),
});

/** A small fleet's day, drawn from the seed: every kind of event, out of order, repeated, with faults. */
export function scenario(seed: number, random: Random): Scenario {
  counter = 0;
  const feed: Feed[] = [];
  const at = () => random.int(0, 20_000);
  const push = (queue: Feed['queue'], built: DemoEvent, when = at()) => feed.push({ queue, event: withId(seed, built), at: when, twice: random.chance(0.1) });

  const customers = random.int(1, 3);
  const orphans: Scenario['orphans'] = [];
  const issuesElsewhere = random.chance(0.25);
  for (let i = 0; i < customers; i++) {
    const entityId = `E${seed}-${i}`;
    const p = person(entityId, i);
    const when = at();
    const accountFirst = random.chance(0.3);
    const insta = random.chance(0.5);
    push('coreBanking', customerCreated(SIM_TENANT, p, insta ? { cardType: 'VIRTUAL' } : undefined), accountFirst ? when + 1_000 : when);
    // The bank also opens the insta-card's account as an account (its own event, its own id): the card exists already.
    if (insta && random.chance(0.4)) push('coreBanking', accountOpened(SIM_TENANT, entityId, p.accountNo, 'VIRTUAL'), when + random.int(1_001, 5_000));
    const accounts = random.int(0, 2);
    for (let a = 0; a < accounts; a++) {
      const afterBranchIssue = issuesElsewhere && random.chance(0.5);
      push('coreBanking', accountOpened(SIM_TENANT, entityId, String(6_000_000 + i * 10 + a), 'PHYSICAL'), accountFirst ? when : when + random.int(1, 3_000));
      if (afterBranchIssue) feed.at(-1)!.afterBranchIssue = true;
    }
  }
  const preRegistered = random.chance(0.3) ? { entityId: `E${seed}-pre`, accountNo: '8000001', cardType: 'PHYSICAL' as const } : undefined;
  if (preRegistered) push('coreBanking', accountOpened(SIM_TENANT, preRegistered.entityId, preRegistered.accountNo, preRegistered.cardType));
  if (random.chance(0.25)) {
    const orphan = { entityId: `E${seed}-orphan`, accountNo: '7000001' };
    orphans.push(orphan);
    push('coreBanking', accountOpened(SIM_TENANT, orphan.entityId, orphan.accountNo, 'PHYSICAL'));
  }

  const kits = Array.from({ length: random.int(0, 3) }, (_, k) => `SK${seed}X${k}`);
  for (const kitNo of kits) {
    for (let s = 0, n = random.int(1, 4); s < n; s++) {
      push('courier', kitStatus(SIM_TENANT, kitNo, random.pick(STATUSES), new Date(EPOCH - 86_400_000 + random.int(0, 3_600) * 1_000 + s)));
    }
  }

  const cards = Array.from({ length: random.int(0, 2) }, (_, c) => `CID2412010000000${c}ID${String(seed).padStart(8, '0').slice(-8)}`);
  for (const cardId of cards) {
    let when = at();
    for (let c = 0, n = random.int(1, 4); c < n; c++) {
      // Alternating, so any control applied out of order leaves the card in the wrong state.
      push('cardControls', event(CARD_CONTROL_REQUESTED, SIM_TENANT, 'urn:acme_bank:channels', { mobile: MOBILE, cardId, action: c % 2 === 0 ? 'FREEZE' : 'UNFREEZE' }), when);
      when += random.int(1, 2_000);
    }
  }

  const faulty = random.chance(0.8);
  const rate = (max: number) => (faulty ? random.next() * max : 0);
  return {
    instances: random.int(1, 3),
    skewsMs: Array.from({ length: 3 }, () => random.int(-2_000, 2_000)),
    feed: feed.sort((a, b) => a.at - b.at),
    kits,
    cards,
    orphans,
    preRegistered,
    issuesElsewhere,
    faults: {
      dcms: {
        errorRate: rate(0.2),
        throttleRate: rate(0.1),
        commitThenFailRate: rate(0.1),
        commitThenDropRate: rate(0.1),
        slowCommitRate: rate(0.15),
        maxCommitDelayMs: 60_000,
        outage: faulty && random.chance(0.2) ? { from: EPOCH + random.int(0, 20_000), until: EPOCH + random.int(20_000, 200_000) } : undefined,
      },
      store: {
        throttleRate: rate(0.05),
        lostAnswerRate: rate(0.05),
        outage: faulty && random.chance(0.1) ? { from: EPOCH + random.int(0, 20_000), until: EPOCH + random.int(20_000, 60_000) } : undefined,
      },
      card91: { errorRate: rate(0.2), commitThenFailRate: rate(0.1) },
      killRate: rate(0.2),
    },
    faultsUntilMs: 300_000,
  };
}

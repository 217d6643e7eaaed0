import { ALL_SAFEGUARDS, type Safeguards } from '../../shared/protocol/safeguards.js';
import { NO_CARD91_FAULTS, SimCard91 } from './card91.js';
import { NO_DCMS_FAULTS, SimDcms } from './dcms.js';
import { startFleet, type Fleet } from './fleet.js';
import { checkInvariants, type Violation } from './invariants.js';
import { scenario, SIM_TENANT, type Feed } from './scenario.js';
import { NO_STORE_FAULTS, SimStore } from './store.js';
import { EPOCH, PLATFORM, World } from './world.js';

/** The safeguards `--disable` can switch off, one per promise they keep. */
export const SAFEGUARD_NAMES = ['settle-window', 'write-ahead-marker', 'newest-scan', 'card-order', 'retry-history', 'issue-ledger'] as const;
export type SafeguardName = (typeof SAFEGUARD_NAMES)[number];

export interface SeedResult {
  seed: number;
  violations: Violation[];
  trace: string[];
  /** Virtual seconds the run took to settle. */
  virtualSeconds: number;
  events: number;
  invocations: Fleet['invocations'];
}

/** A run settles at the latest this long after it starts: orphans wait out an hour's budget. */
const HORIZON_MS = 6 * 3_600_000;
/** After the faults stop, a late commit may still land: the run goes on at least this long. */
const QUIET_AFTER_FAULTS_MS = 90_000;

const groupOf = (feed: Feed): string | undefined =>
  feed.queue === 'courier' ? undefined : `${feed.event.tenant}:${String(feed.queue === 'coreBanking' ? feed.event.data.entityId : feed.event.data.cardId)}`;

/**
 * One seed: its scenario fed to a fleet of the real workers over the simulated platforms, faults
 * until a point, then the run goes on until every queue is empty, and the invariants are checked.
 */
export async function runSeed(seed: number, options: { disable?: ReadonlySet<SafeguardName>; trace?: boolean } = {}): Promise<SeedResult> {
  const disabled = options.disable ?? new Set<SafeguardName>();
  const world = new World(seed, options.trace ?? false);
  // Every clock of the workers (some captured when their modules build, hence first) reads the world's.
  const realNow = Date.now;
  Date.now = () => world.clock();
  try {
    return await simulate(seed, world, disabled);
  } finally {
    Date.now = realNow;
  }
}

async function simulate(seed: number, world: World, disabled: ReadonlySet<SafeguardName>): Promise<SeedResult> {
  const plan = scenario(seed, world.random);
  const dcms = new SimDcms(world);
  const card91 = new SimCard91(world);
  const store = new SimStore(world, { newestScan: !disabled.has('newest-scan'), retryHistory: !disabled.has('retry-history') });
  dcms.faults = plan.faults.dcms;
  store.faults = plan.faults.store;
  card91.faults = plan.faults.card91;
  for (const kitNo of plan.kits) dcms.seedKit(SIM_TENANT, kitNo);
  for (const cardId of plan.cards) card91.seedCard(cardId);
  if (plan.preRegistered) dcms.seedCustomer(SIM_TENANT, plan.preRegistered.entityId, plan.preRegistered);

  const safeguards: Safeguards = {
    ...ALL_SAFEGUARDS,
    settleWindow: !disabled.has('settle-window'),
    writeAheadMarker: !disabled.has('write-ahead-marker'),
    cardOrder: !disabled.has('card-order'),
    issueLedger: !disabled.has('issue-ledger'),
  };
  let faulty = true;
  const fleet = startFleet(
    { world, dcms, card91, store },
    { instances: plan.instances, skewsMs: plan.skewsMs, killRate: () => (faulty ? plan.faults.killRate : 0), safeguards, issuesElsewhere: plan.issuesElsewhere },
  );

  // Events held until a branch issued their card: the run is not over while one is still held.
  let heldForBranch = 0;
  for (const item of plan.feed) {
    const send = () => {
      for (let copy = 0; copy < (item.twice ? 2 : 1); copy++) {
        world.log(`feed: ${item.event.type} ${item.event.id}${copy ? ' (again)' : ''}`);
        fleet.queues[item.queue].send({ body: JSON.stringify(item.event), groupId: groupOf(item), deduplicationId: item.event.id });
      }
    };
    const data = item.event.data as { entityId: string; accountNo: string; cardType: string };
    if (item.afterBranchIssue) heldForBranch += 1;
    const afterBranch = () => {
      heldForBranch -= 1;
      send();
    };
    world.schedule(item.at, PLATFORM, () => (item.afterBranchIssue ? dcms.issueElsewhere(SIM_TENANT, data, afterBranch) : send()));
  }
  world.schedule(plan.faultsUntilMs, PLATFORM, () => {
    world.log('faults stop');
    faulty = false;
    dcms.faults = NO_DCMS_FAULTS;
    store.faults = NO_STORE_FAULTS;
    card91.faults = NO_CARD91_FAULTS;
  });

  const settledAfter = EPOCH + plan.faultsUntilMs + QUIET_AFTER_FAULTS_MS;
  const settled = () => world.now >= settledAfter && heldForBranch === 0 && Object.values(fleet.queues).every((q) => q.size === 0);
  try {
    await world.run(EPOCH + HORIZON_MS, settled);
  } finally {
    fleet.stop();
  }
  return {
    seed,
    violations: checkInvariants(plan, { dcms, card91, historyFallbacks: store.historyFallbacks }, fleet),
    trace: world.trace,
    virtualSeconds: Math.round((world.now - EPOCH) / 1_000),
    events: plan.feed.length,
    invocations: fleet.invocations,
  };
}

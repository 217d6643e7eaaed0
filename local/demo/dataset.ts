import { randomUUID } from 'node:crypto';
import type { SandboxSeed } from '../../sandbox/card91/seed-data.js';
import { CARD_CONTROL_REQUESTED, COURIER_KIT_STATUS, type DeliveryStatus } from '../../shared/contracts/index.js';
import { accountOpened, customerCreated, event, kitStatus, type DemoEvent, type Person } from './events.js';
import { seededRandom } from '../../sandbox/seeded-random.js';

/**
 * The demo dataset: every behaviour of the pipeline, in two phases. Phase 1 registers customers
 * (with and without insta-card), accounts (a second card on the same account, a second account
 * with the same card type), duplicates and malformed events; phase 2 sends courier status streams
 * for the kits DCMS actually issued in phase 1 (in and out of order, duplicates, unknown kits),
 * core-banking events that arrive before their customer, and card controls.
 * Shapes are drawn from a seeded generator, so every run shows the same mix; ids carry the run id,
 * so runs never collide (with --state-dir, the idempotency records of earlier runs are kept).
 */

export interface DemoOptions {
  customers: number;
  /** Configured tenants to spread customers over. */
  tenants: readonly string[];
  /** Unique per run: part of every entity id. */
  runId: string;
  /** Seeds the shapes; default DEMO_SEED. */
  seed?: number;
  /**
   * Leave out every event meant to fail (malformed lines, an unknown tenant or type, unknown kits,
   * accounts before their customer, card controls Card91 refuses): then any dead letter is a
   * valid event that was dead-lettered, which is what a chaos run counts.
   */
  validOnly?: boolean;
}

export interface IssuedKit {
  tenant: string;
  kitNo: string;
}

export const DEMO_SEED = 20_261_122;
/** Share of customers who open a second account with a card of the same type as their first. */
const SECOND_ACCOUNT_SHARE = 0.15;

const FIRST_NAMES = ['Aadhu', 'Priya', 'Ravi', 'Meena', 'Arjun', 'Kavya', 'Vikram', 'Lakshmi', 'Suresh', 'Divya', 'Karthik', 'Anjali'];
const LAST_NAMES = ['Chandran', 'Iyer', 'Nair', 'Reddy', 'Sharma', 'Menon', 'Pillai', 'Rao', 'Gupta', 'Das'];
const CITIES = ['CHENNAI', 'MUMBAI', 'BENGALURU', 'KOCHI', 'PUNE', 'DELHI'];

/** Entity ids of a run start with this, so its kits can be found in the ledger. */
export const entityPrefix = (runId: string): string => `D${runId}-`;

const json = (e: DemoEvent | Record<string, unknown>): string => JSON.stringify(e);

/** Phase 1: customers, accounts, duplicates and malformed events (core-banking queue). */
export function coreBankingPhase(options: DemoOptions): string[] {
  const seed = options.seed ?? DEMO_SEED;
  const random = seededRandom(seed);
  // Its own generator, so the other shapes stay what they were for a given seed.
  const secondAccounts = seededRandom(seed + 2);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const lines: string[] = [];
  for (let i = 0; i < options.customers; i += 1) {
    const tenant = options.tenants[i % options.tenants.length]!;
    const person = personFor(`${entityPrefix(options.runId)}${String(i).padStart(4, '0')}`, i, pick, random);
    const instaCard = random() < 0.6;
    const cardType = random() < 0.8 ? 'PHYSICAL' : 'VIRTUAL';
    const created = customerCreated(tenant, person, instaCard ? { cardType } : undefined);
    lines.push(json(created));
    if (!instaCard) lines.push(json(accountOpened(tenant, person.entityId, person.accountNo, cardType)));
    // A second card on the same account: the other card type.
    if (random() < 0.08) lines.push(json(accountOpened(tenant, person.entityId, person.accountNo, cardType === 'PHYSICAL' ? 'VIRTUAL' : 'PHYSICAL')));
    // The same business fact under a new event id: the idempotency record answers, DCMS is not called.
    if (random() < 0.05) lines.push(json({ ...created, id: randomUUID() }));
    // The very same event re-sent: SQS FIFO deduplication drops it (same deduplication id).
    if (random() < 0.03) lines.push(json(created));
    // A second account with a card of the same type (a PHYSICAL card, then another PHYSICAL card):
    // only the account number tells the two cards apart, which is what reconciliation has to read.
    if (secondAccounts() < SECOND_ACCOUNT_SHARE) lines.push(json(accountOpened(tenant, person.entityId, secondAccountNo(i), cardType)));
  }
  if (options.validOnly) return lines;
  const tenant = options.tenants[0]!;
  const malformed = personFor(`${entityPrefix(options.runId)}BAD`, 0, pick, random);
  lines.push(
    '{"specversion":"1.0","id":"broken-line", this is not JSON',
    json({ ...customerCreated(tenant, malformed), data: { ...customerCreated(tenant, malformed).data, contacts: [] } }),
    json(customerCreated('UNKNOWN_BANK', { ...malformed, entityId: `${malformed.entityId}2` })),
    json(event('bank.customer.closed.v1', tenant, `urn:${tenant.toLowerCase()}:cbs`, { entityId: malformed.entityId })),
  );
  return lines;
}

/**
 * Phase 2: courier status streams for kits DCMS issued, sent in rounds (each kit's first event,
 * then each kit's second…) so a kit's events land in different batches; plus unknown kits,
 * malformed courier events, and accounts sent before their customer.
 */
export function courierPhase(options: DemoOptions, kits: readonly IssuedKit[]): string[] {
  const random = seededRandom((options.seed ?? DEMO_SEED) + 1);
  const base = Date.now() - 72 * 3_600_000;
  const at = (start: number, hours: number) => new Date(start + hours * 3_600_000);
  const streams = kits.map(({ tenant, kitNo }) => {
    const start = base + Math.floor(random() * 24 * 3_600_000);
    const status = (s: DeliveryStatus, hours: number) => kitStatus(tenant, kitNo, s, at(start, hours));
    const shape = random();
    const stream =
      shape < 0.65
        ? [status('IN_TRANSIT', 0), status('DELIVERED', 20)]
        : shape < 0.8
          ? [status('DELIVERED', 20), status('IN_TRANSIT', 0)] // out of order: the older one arrives last and is stale
          : shape < 0.9
            ? [status('IN_TRANSIT', 0), status('RETURNED', 30), status('BANK', 40)]
            : [status('IN_TRANSIT', 0)];
    // A courier retry: the same event twice.
    if (random() < 0.05) stream.push(stream[stream.length - 1]!);
    return stream.map(json);
  });
  const lines: string[] = [];
  for (let round = 0; streams.some((stream) => stream.length > round); round += 1) {
    for (const stream of streams) if (stream[round] !== undefined) lines.push(stream[round]!);
  }
  if (options.validOnly) return lines;

  const tenant = options.tenants[0]!;
  for (let i = 0; i < 4; i += 1) lines.push(json(kitStatus(tenant, `NOKIT${options.runId}${i}`.toUpperCase(), 'IN_TRANSIT', at(base, i))));
  const courierSource = 'urn:courier:bluedart';
  lines.push(
    json(event(COURIER_KIT_STATUS, tenant, courierSource, { kitNo: 'NOKIT0', status: 'TELEPORTED', occurredAt: at(base, 1).toISOString() })),
    json(event(COURIER_KIT_STATUS, tenant, courierSource, { kitNo: 'NOKIT1', status: 'DELIVERED', occurredAt: 'yesterday' })),
  );

  // Accounts before their customer, in the customer's FIFO group: CUS001 moves each account behind its
  // customer, which goes first; the account then goes through.
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  for (let i = 0; i < 2; i += 1) {
    const person = personFor(`${entityPrefix(options.runId)}LATE${i}`, i, pick, random);
    lines.push(json(accountOpened(tenant, person.entityId, person.accountNo, 'PHYSICAL')), json(customerCreated(tenant, person)));
  }
  return lines;
}

/**
 * Card controls for the Card91 sandbox's cardholders (its seed): a freeze and an unfreeze, a
 * limits change, a block of a card blocked already (found in effect: reconciled), a command
 * re-sent (duplicate), and two Card91 will not apply: a freeze of a blocked card, and a card that
 * is someone else's. Each one logs the customer in at Card91, which has our auth webhook verify it.
 */
export function cardControlPhase(tenant: string, seed: SandboxSeed, options: { validOnly?: boolean } = {}): string[] {
  const cardsOf = (index: number) => seed.customers[index]?.cardPrograms.flatMap((program) => program.cards) ?? [];
  const [first, second] = seed.customers;
  const active = cardsOf(0).find((card) => card.state === 'ACTIVE');
  const blocked = cardsOf(0).find((card) => card.state === 'BLOCKED');
  const other = cardsOf(1).find((card) => card.state === 'ACTIVE');
  if (!first || !second || !active || !blocked || !other) return [];
  const control = (data: Record<string, unknown>) => event(CARD_CONTROL_REQUESTED, tenant, `urn:${tenant.toLowerCase()}:channels`, data);
  const freeze = control({ mobile: first.mobile, cardId: active.id, action: 'FREEZE' });
  const currency = other.limits[0]?.currency ?? 'USD';
  const refused = [control({ mobile: first.mobile, cardId: blocked.id, action: 'FREEZE' }), control({ mobile: second.mobile, cardId: active.id, action: 'FREEZE' })];
  return [
    freeze,
    control({ mobile: first.mobile, cardId: active.id, action: 'UNFREEZE' }),
    control({ mobile: second.mobile, cardId: other.id, action: 'SET_LIMITS', limits: [{ currency, perPosTxnLimit: '100' }] }),
    control({ mobile: first.mobile, cardId: blocked.id, action: 'BLOCK', reason: 'DAMAGED' }),
    freeze,
    ...(options.validOnly ? [] : refused),
  ].map(json);
}

/** Distinct from every first account number (40 000 000 + 13·i + 0…9). */
const secondAccountNo = (index: number): string => String(60_000_000 + index * 13);

function personFor(entityId: string, index: number, pick: <T>(list: readonly T[]) => T, random: () => number): Person {
  const year = 1960 + Math.floor(random() * 40);
  return {
    entityId,
    firstName: pick(FIRST_NAMES),
    lastName: pick(LAST_NAMES),
    gender: random() < 0.5 ? 'MALE' : 'FEMALE',
    dob: `${year}-0${1 + Math.floor(random() * 9)}-1${Math.floor(random() * 9)}`,
    mobile: `9${String(100_000_000 + index * 7_919).padStart(9, '0')}`,
    city: pick(CITIES),
    accountNo: String(40_000_000 + index * 13 + Math.floor(random() * 10)),
  };
}

import { DLQ_ATTRIBUTES } from '../../shared/messaging/dead-letter.js';
import { backoffAttemptsWithin } from '../../shared/protocol/retry/schedule.js';
import type { SimCard91 } from './card91.js';
import type { SimDcms } from './dcms.js';
import { SIM_RETRY_POLICY, type Fleet } from './fleet.js';
import { SIM_TENANT, type Scenario } from './scenario.js';

export interface Violation {
  invariant: string;
  detail: string;
}

const countBy = <T>(items: readonly T[], key: (item: T) => string): Map<string, number> => {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
};

const STATE_AFTER: Record<string, string> = { FREEZE: 'LOCKED', UNFREEZE: 'ACTIVE' };

/**
 * The promises, checked against the platforms' own state (what DCMS and Card91 applied, what the
 * DLQs hold), never against what the workers reported.
 */
export function checkInvariants(scenario: Scenario, platforms: { dcms: SimDcms; card91: SimCard91; historyFallbacks: number }, fleet: Fleet): Violation[] {
  const violations: Violation[] = [];
  const fail = (invariant: string, detail: string) => violations.push({ invariant, detail });
  const { ledger } = platforms.dcms;

  for (const [card, n] of countBy(ledger.cards, (c) => `${c.tenant}/${c.entityId}/${c.accountNo}/${c.cardType}`)) {
    if (n > 1) fail('one card per account and card type', `${card}: ${n} cards issued`);
  }
  for (const [customer, n] of countBy(ledger.registrations, (r) => `${r.tenant}/${r.entityId}`)) {
    if (n > 1) fail('one /register effect per customer', `${customer}: registered ${n} times`);
  }

  const deadLettered = new Map<string, Record<string, { StringValue?: string | undefined }>>();
  for (const queue of Object.values(fleet.dlqs)) {
    for (const { body, attributes } of queue.bodies()) {
      const id = (JSON.parse(body) as { id?: string }).id ?? '?';
      deadLettered.set(id, attributes);
      if (!attributes[DLQ_ATTRIBUTES.category]?.StringValue || !attributes[DLQ_ATTRIBUTES.code]?.StringValue) fail('every dead letter carries its reason', `event ${id} was dead-lettered without one`);
    }
  }

  for (const [name, queue] of Object.entries(fleet.queues)) {
    if (queue.size > 0) fail('nothing is stuck once faults stop', `${queue.size} message(s) still in ${name}`);
  }

  const orphanIds = new Set(scenario.feed.filter((f) => scenario.orphans.some((o) => f.event.data.entityId === o.entityId)).map((f) => f.event.id));
  for (const id of orphanIds) {
    if (deadLettered.get(id)?.[DLQ_ATTRIBUTES.category]?.StringValue !== 'Exhausted') fail('a record whose dependency never comes ends in its DLQ', `event ${id} is not dead-lettered as Exhausted`);
  }
  for (const id of deadLettered.keys()) {
    if (!orphanIds.has(id)) fail('every valid event reaches its effect', `event ${id} was dead-lettered (${deadLettered.get(id)?.[DLQ_ATTRIBUTES.code]?.StringValue})`);
  }

  const feed = scenario.feed.map((f) => f.event);
  for (const event of feed.filter((e) => e.type === 'bank.customer.created.v1')) {
    const { entityId, card } = event.data as { entityId: string; card?: { accountNo: string; cardType: string } };
    if (!ledger.registrations.some((r) => r.entityId === entityId)) fail('every valid event reaches its effect', `customer ${entityId} was never registered`);
    if (card && !ledger.cards.some((c) => c.entityId === entityId && c.accountNo === card.accountNo && c.cardType === card.cardType)) {
      fail('every valid event reaches its effect', `insta-card of ${entityId} was never issued`);
    }
  }
  for (const event of feed.filter((e) => e.type === 'bank.account.opened.v1' && !orphanIds.has(e.id))) {
    const { entityId, accountNo, cardType } = event.data as { entityId: string; accountNo: string; cardType: string };
    if (!ledger.cards.some((c) => c.entityId === entityId && c.accountNo === accountNo && c.cardType === cardType))
      fail('every valid event reaches its effect', `card of ${entityId}/${accountNo} was never issued`);
  }

  for (const kitNo of scenario.kits) {
    const scans = feed.filter((e) => e.type === 'courier.kit.status.v1' && e.data.kitNo === kitNo).map((e) => e.data as { status: string; occurredAt: string });
    const newest = scans.reduce((a, b) => (Date.parse(b.occurredAt) > Date.parse(a.occurredAt) ? b : a));
    const actual = platforms.dcms.statusOf(SIM_TENANT, kitNo);
    if (actual !== newest.status) fail("a kit's final status is its newest scan", `kit ${kitNo}: DCMS holds ${actual ?? 'nothing'}, the newest scan is ${newest.status}`);
  }

  for (const cardId of scenario.cards) {
    const controls = feed.filter((e) => e.type === 'bank.card.control.requested.v1' && e.data.cardId === cardId);
    const expected = STATE_AFTER[String(controls.at(-1)!.data.action)];
    const actual = platforms.card91.stateOf(cardId);
    if (actual !== expected) fail("a card's controls apply in the order sent", `card ${cardId}: Card91 holds ${actual}, the last control sent leaves it ${expected}`);
  }

  // An account waiting on its customer may call DCMS only as often as its backoff allows. Its
  // schedule also brings it back once at the end of a settle window after each answer that may
  // have been applied, and an attempt whose history DynamoDB could not record repeats its step of
  // the backoff. An invocation killed after DCMS answered never counted its attempt, and one killed
  // between queueing a moved copy and acknowledging the original leaves two copies of the record,
  // each on the schedule: each kill may double what the record is allowed.
  for (const [key, times] of ledger.customerMissing) {
    const span = (times.at(-1)! - times[0]!) / 1_000;
    const allowed = (backoffAttemptsWithin(SIM_RETRY_POLICY, span) + (ledger.unknownOutcomes.get(key) ?? 0) + platforms.historyFallbacks + 1) * 2 ** fleet.invocations.killed;
    if (times.length > allowed)
      fail('no record calls DCMS more often than its retry schedule allows', `${key}: ${times.length} CUS001 answers in ${Math.round(span)} s; the schedule allows ${allowed}`);
  }
  return violations;
}

/**
 * The card-controls worker end to end on the local stack: fauxqs feeding the handler the way the
 * Lambda event source does, DynamoDB Local for idempotency, the Card91 sandbox over real HTTP and
 * our auth-URL webhook answering its login checks.
 */
import type { Message } from '@aws-sdk/client-sqs';
import { afterEach, describe, expect, it } from 'vitest';
import { createCardControlsHandler } from '../../functions/card-controls/app.js';
import { localCard91WorkerEnv } from '../../local/worker-env.js';
import type { ScriptedFault } from '../../sandbox/card91/index.js';
import { DLQ_ATTRIBUTES } from '../../shared/messaging/dead-letter.js';
import type { OutcomeReport } from '../../shared/observability/telemetry.js';
import { createCard91WorkerRuntime } from '../../shared/worker/card91-runtime.js';
import { capturedOutput } from '../support/captured-output.js';
import { cardControl } from '../support/events.js';
import { startQueueHarness, TEST_TENANTS, type QueueHarness } from '../support/worker-harness.js';
import { ASHA, ORG_ID, ROHAN } from '../support/card91-fixtures.js';
import { startCard91Stack, type Card91Stack } from './card91-harness.js';

interface Harness extends QueueHarness {
  card91: Card91Stack;
  outcomes: OutcomeReport[];
  /** Calls the sandbox answered per outcome for one client method (`setCardLock`, `blockCard`, …). */
  calls(method: string): Record<string, number>;
}

/** Harnesses not closed yet: whatever a test did, its harness is closed after it. */
const open = new Set<Harness>();
afterEach(async () => {
  await Promise.all([...open].map((each) => each.close()));
});

async function startHarness(): Promise<Harness> {
  const card91 = await startCard91Stack();
  const outcomes: OutcomeReport[] = [];
  const serviceName = 'card-controls';
  const queue = await startQueueHarness({
    queue: 'cardControls',
    serviceName,
    handlers: (aws) => {
      const env = localCard91WorkerEnv({
        resources: aws.resources,
        serviceName,
        card91BaseUrl: card91.sandbox.url,
        card91OrgId: ORG_ID,
        sdkAuthSecretsJson: JSON.stringify([card91.signing.secret]),
        tenantsJson: TEST_TENANTS,
        fast: true,
      });
      return [createCardControlsHandler(createCard91WorkerRuntime(env, { observer: (report) => outcomes.push(report) }))];
    },
  });
  const started: Harness = {
    ...queue,
    card91,
    outcomes,
    calls: (method) => card91.sandbox.stats().calls[method] ?? {},
    async close() {
      open.delete(started);
      await queue.close();
      await card91.close();
    },
  };
  open.add(started);
  return started;
}

/** The harness of the test running. */
let harness: Harness;

const attribute = (message: Message, name: string) => message.MessageAttributes?.[name]?.StringValue;
const outcomesOf = (of: Harness) => of.outcomes.map((report) => report.outcome);

/** Runs one event alone through a fresh harness and returns its dead letter, the only one. */
const deadLetterOf = async (event: object) => {
  harness = await startHarness();
  await harness.send([event]);
  await harness.drain();
  const dead = await harness.deadLetters();
  expect(dead).toHaveLength(1);
  expect(dead[0]?.Body).toBe(JSON.stringify(event));
  return dead[0]!;
};

describe('card-controls worker', () => {
  it('blocks a card with its reason', async () => {
    harness = await startHarness();
    await harness.send([cardControl({ action: 'BLOCK', reason: 'STOLEN' })]);
    await harness.drain();
    expect(harness.card91.sandbox.card(ASHA.activeCard)).toMatchObject({ state: 'BLOCKED', blockedReason: 'STOLEN' });
    expect(harness.calls('blockCard')).toEqual({ '200': 1 });
    expect(outcomesOf(harness)).toEqual(['succeeded']);
    expect(await harness.deadLetters()).toHaveLength(0);
  });

  it('freezes, then unfreezes a card', async () => {
    harness = await startHarness();
    await harness.send([cardControl({ action: 'FREEZE' })]);
    await harness.drain();
    expect(harness.card91.sandbox.card(ASHA.activeCard)?.state).toBe('LOCKED');

    await harness.send([cardControl({ action: 'UNFREEZE' })]);
    await harness.drain();
    expect(harness.card91.sandbox.card(ASHA.activeCard)?.state).toBe('ACTIVE');
    expect(harness.calls('setCardLock')).toEqual({ '200': 2 });
    expect(outcomesOf(harness)).toEqual(['succeeded', 'succeeded']);
  });

  it('never lets a later UNFREEZE of a card overtake its FREEZE that must be retried, and brings both back together', async () => {
    harness = await startHarness();
    // The FREEZE fails through its in-call retries once; the UNFREEZE, sent after it, waits behind it.
    harness.card91.sandbox.setFaults({ script: [{ path: 'setCardLock', fault: 'error', status: 503, times: 4 }] });
    await harness.send([cardControl({ action: 'FREEZE' })]);
    await harness.send([cardControl({ action: 'UNFREEZE' })]);
    await harness.drain();
    expect(harness.card91.sandbox.card(ASHA.activeCard)?.state).toBe('ACTIVE');
    expect(harness.calls('setCardLock')).toEqual({ 'fault:error': 4, '200': 2 });
    expect(outcomesOf(harness).filter((outcome) => outcome !== 'retried')).toEqual(['succeeded', 'succeeded']);
    expect(await harness.deadLetters()).toHaveLength(0);
  });
});

describe('card-controls worker, limits', () => {
  it('sets limits, completing the fields the event leaves out from the card settings', async () => {
    harness = await startHarness();
    await harness.send([cardControl({ action: 'SET_LIMITS', limits: [{ currency: 'AED', perAtmTxnLimit: '80', isAtmLimitEnabled: true }] })]);
    await harness.drain();
    const aed = harness.card91.sandbox.card(ASHA.activeCard)?.limits.find((line) => line.currency === 'AED');
    expect(aed).toMatchObject({ perAtmTxnLimit: '80', isAtmLimitEnabled: true, perPosTxnLimit: '50000', isPosLimitEnabled: true, perOnlineTxnLimit: '0' });
    expect(harness.calls('setCardSettings')).toEqual({ '200': 1 });
    expect(outcomesOf(harness)).toEqual(['succeeded']);
  });

  it('does not write limits that are already in effect', async () => {
    harness = await startHarness();
    await harness.send([cardControl({ action: 'SET_LIMITS', limits: [{ currency: 'AED', perPosTxnLimit: 50000.0, isPosLimitEnabled: true }] })]);
    await harness.drain();
    expect(harness.calls('setCardSettings')).toEqual({});
    expect(outcomesOf(harness)).toEqual(['reconciled']);
  });
});

describe('card-controls worker, controls already applied', () => {
  it('applies the same event delivered twice once: one Card91 write, then a duplicate', async () => {
    harness = await startHarness();
    const freeze = cardControl({ action: 'FREEZE' });
    await harness.send([freeze, freeze]);
    await harness.drain();
    expect(harness.calls('setCardLock')).toEqual({ '200': 1 });
    expect(outcomesOf(harness).sort()).toEqual(['duplicate', 'succeeded']);
  });

  it('treats blocking an already blocked card as done', async () => {
    harness = await startHarness();
    await harness.send([cardControl({ action: 'BLOCK', reason: 'LOST', cardId: ASHA.blockedCard })]);
    await harness.drain();
    expect(outcomesOf(harness)).toEqual(['reconciled']);
    expect(await harness.deadLetters()).toHaveLength(0);
  });
});

describe('card-controls worker, refusals', () => {
  it('dead-letters unfreezing a blocked card at once, as CARD_BLOCKED', async () => {
    const dead = await deadLetterOf(cardControl({ action: 'UNFREEZE', cardId: ASHA.blockedCard }));
    expect(attribute(dead, DLQ_ATTRIBUTES.category)).toBe('Permanent');
    expect(attribute(dead, DLQ_ATTRIBUTES.code)).toBe('CARD_BLOCKED');
    expect(attribute(dead, DLQ_ATTRIBUTES.message)).toContain('permanently blocked');
    expect(attribute(dead, DLQ_ATTRIBUTES.attempts)).toBe('1');
    expect(harness.calls('setCardLock')).toEqual({ '400': 1 });
    expect(harness.card91.sandbox.card(ASHA.blockedCard)?.state).toBe('BLOCKED');
  });

  it('dead-letters a limit above the card ceiling without writing, as LIMIT_ABOVE_CEILING', async () => {
    const dead = await deadLetterOf(cardControl({ action: 'SET_LIMITS', limits: [{ currency: 'AED', perAtmTxnLimit: '120' }] }));
    expect(attribute(dead, DLQ_ATTRIBUTES.code)).toBe('LIMIT_ABOVE_CEILING');
    expect(attribute(dead, DLQ_ATTRIBUTES.message)).toContain('perAtmTxnLimit 120');
    expect(harness.calls('setCardSettings')).toEqual({});
  });

  it('dead-letters limits for a currency the card does not carry, as CURRENCY_NOT_ENABLED', async () => {
    const dead = await deadLetterOf(cardControl({ action: 'SET_LIMITS', limits: [{ currency: 'GBP', perAtmTxnLimit: '10' }] }));
    expect(attribute(dead, DLQ_ATTRIBUTES.code)).toBe('CURRENCY_NOT_ENABLED');
  });

  it.each([
    ['an unknown card (Card91 404)', 'CID000000000000000ID00000000'],
    ["another customer's card (Card91 403)", ROHAN.card],
  ])('dead-letters a state change of %s, as CARD_NOT_FOUND', async (_case, cardId) => {
    const dead = await deadLetterOf(cardControl({ action: 'FREEZE', cardId }));
    expect(attribute(dead, DLQ_ATTRIBUTES.code)).toBe('CARD_NOT_FOUND');
    expect(attribute(dead, DLQ_ATTRIBUTES.category)).toBe('Permanent');
  });

  it('dead-letters limits of an unknown card, as CARD_NOT_FOUND', async () => {
    const dead = await deadLetterOf(cardControl({ action: 'SET_LIMITS', cardId: 'CID000000000000000ID00000000', limits: [{ currency: 'AED', perAtmTxnLimit: '10' }] }));
    expect(attribute(dead, DLQ_ATTRIBUTES.code)).toBe('CARD_NOT_FOUND');
  });

  it('dead-letters invalid events with SCHEMA and the offending field', async () => {
    const dead = await deadLetterOf(cardControl({ action: 'BLOCK' }));
    expect(attribute(dead, DLQ_ATTRIBUTES.category)).toBe('InvalidEvent');
    expect(attribute(dead, DLQ_ATTRIBUTES.code)).toBe('SCHEMA');
    expect(attribute(dead, DLQ_ATTRIBUTES.message)).toContain('reason');
    expect(harness.card91.sandbox.stats().calls).toEqual({});
  });
});

describe('card-controls worker, lost answers and outages', () => {
  it.each([
    ['FREEZE', 'setCardLock', 'commitThenFail', 'LOCKED'],
    ['BLOCK', 'blockCard', 'commitThenDrop', 'BLOCKED'],
  ] as const)('reconciles a %s whose answer was lost (%s, %s) by reading the card, without a second write', async (action, method, fault, state) => {
    harness = await startHarness();
    harness.card91.sandbox.setFaults({ script: [{ path: method, fault, times: 1 }] });
    await harness.send([cardControl({ action, reason: 'LOST' })]);
    await harness.drain();
    expect(harness.card91.sandbox.card(ASHA.activeCard)?.state).toBe(state);
    expect(harness.calls(method)).toEqual({ [`fault:${fault}`]: 1 });
    expect(harness.calls('getCustomerDetail')['200']).toBeGreaterThanOrEqual(1);
    expect(outcomesOf(harness)).toEqual(['reconciled']);
    expect(await harness.deadLetters()).toHaveLength(0);
  });

  it('sends again, on the next delivery, when the lost write is not found on the card (a hung request that never reached it)', async () => {
    harness = await startHarness();
    harness.card91.sandbox.setFaults({ script: [{ path: 'setCardLock', fault: 'hang', times: 1 }] });
    await harness.send([cardControl({ action: 'FREEZE' })]);
    await harness.drain();
    expect(harness.calls('setCardLock')).toEqual({ 'fault:hang': 1, '200': 1 });
    expect(harness.card91.sandbox.card(ASHA.activeCard)?.state).toBe('LOCKED');
    // Never twice in one invocation: the record goes back to SQS, and its redelivery reads first.
    expect(outcomesOf(harness)).toEqual(['retried', 'succeeded']);
  });

  it('reconciles a limits change whose answer was lost by re-reading the settings', async () => {
    harness = await startHarness();
    harness.card91.sandbox.setFaults({ script: [{ path: 'setCardSettings', fault: 'commitThenFail', times: 1 }] });
    await harness.send([cardControl({ action: 'SET_LIMITS', limits: [{ currency: 'USD', perOnlineTxnLimit: '750.5' }] })]);
    await harness.drain();
    expect(harness.calls('setCardSettings')).toEqual({ 'fault:commitThenFail': 1 });
    expect(harness.calls('getCardSettings')).toEqual({ '200': 2 });
    expect(outcomesOf(harness)).toEqual(['reconciled']);
  });

  it('retries a 5xx burst within the call, then through SQS, and applies the control once', async () => {
    harness = await startHarness();
    // 503 proves a write was not processed, so the client retries it (3 retries); the 4th failure goes back to SQS.
    const burst: ScriptedFault = { path: 'setCardLock', fault: 'error', status: 503, times: 4 };
    harness.card91.sandbox.setFaults({ script: [burst] });
    await harness.send([cardControl({ action: 'FREEZE' })]);
    await harness.drain();
    expect(harness.calls('setCardLock')).toEqual({ 'fault:error': 4, '200': 1 });
    expect(harness.card91.sandbox.card(ASHA.activeCard)?.state).toBe('LOCKED');
    expect(outcomesOf(harness)).toEqual(['retried', 'succeeded']);
    expect(await harness.deadLetters()).toHaveLength(0);
  });
});

describe('card-controls worker logs', () => {
  it('never carry the customer mobile unmasked, on success and failure paths', async () => {
    process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
    const logs = await capturedOutput(async () => {
      harness = await startHarness();
      harness.card91.sandbox.setFaults({ script: [{ path: 'setCardLock', fault: 'commitThenFail', times: 1 }] });
      await harness.send([cardControl({ action: 'FREEZE' }), cardControl({ action: 'UNFREEZE', cardId: ASHA.blockedCard }), cardControl({ action: 'BLOCK' })]);
      await harness.drain();
      await harness.close();
    }).finally(() => delete process.env.POWERTOOLS_LOG_LEVEL);
    expect(logs).toContain('event received');
    expect(logs).toContain('event processed');
    expect(logs).toContain('event not processed');
    expect(logs).toContain('Card91 call');
    expect(logs).not.toContain(ASHA.mobile);
    expect(logs).not.toContain(ASHA.mobile.slice(2));
  });
});

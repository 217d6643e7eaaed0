/**
 * One `bank.card.control.requested.v1` → Card91:
 *   BLOCK     → M7 `{status: BLOCKED, blockedReason}`
 *   FREEZE    → M8 `{status: LOCKED}`
 *   UNFREEZE  → M8 `{status: UNLOCKED}`
 *   SET_LIMITS → M5 read, M6 write of the completed lines
 *
 * Writes are check-first (sendAtMostOnce): a write whose answer was lost is followed by a read of
 * the card, never by a blind second write; so is a redelivery that may have written already.
 * A refusal (400/403/404: Card91 says no more than its status) is also followed by a read, which
 * either finds the change already in effect (a BLOCK of a blocked card) or names the reason with
 * one of our codes (CARD_BLOCKED, CARD_NOT_FOUND); otherwise the Card91 code (`C91_400`) stands.
 */
import type { Card, Card91Client, CallOptions } from '../../shared/card91/index.js';
import type { CardControlData } from '../../shared/contracts/index.js';
import type { WriteOnceConfig } from '../../shared/protocol/write-once/machine.js';
import { runWriteOnce } from '../../shared/protocol/write-once/run.js';
import { FailureCategory, IntegrationError, isIntegrationError } from '../../shared/resilience/errors.js';
import { cardRefusal, judgeStateChange, planLimits, type ControlAction, type Refusal, type StateAction } from './control-state.js';

export interface ControlFlow {
  card91: Card91Client;
  /** A previous delivery of this event may have reached Card91 (SQS receive count above 1). */
  mayHaveBeenSent: boolean;
  /** Epoch ms after which no new Card91 call starts. */
  deadline: number;
}

/** What the idempotency record stores for the event: no PII, only what a duplicate needs to report. */
export interface ControlOutcome {
  action: ControlAction;
  /** The effect was found on the card (by a read) rather than made by this call. */
  reconciled: boolean;
}

/** Answers to a card write that the card itself may explain. */
const EXPLAINABLE_STATUSES: ReadonlySet<number> = new Set([400, 403, 404]);

const isRefusal = (error: IntegrationError): boolean => error.category === FailureCategory.Permanent && error.status !== undefined && EXPLAINABLE_STATUSES.has(error.status);

/**
 * Card91 applies a state change within its answer (docs/reference/card91.md): a lost answer is
 * settled by reading the card on the next delivery, with no window to wait out and no marker.
 */
const NO_SETTLE_WINDOW: WriteOnceConfig = { settleWindowMs: 0, writeAheadMarker: false };

/** runWriteOnce tells a found effect from "not found" by `undefined`, so the writes here resolve to this marker. */
const DONE = true;

function refusalError(verdict: Refusal): IntegrationError {
  return new IntegrationError({ category: FailureCategory.Permanent, code: verdict.code, message: verdict.message });
}

/** The card as the customer's profile (M2) shows it; undefined when it is not one of theirs. */
async function findCard(card91: Card91Client, mobile: string, cardId: string, options: CallOptions): Promise<Card | undefined> {
  const customer = await card91.getCustomerDetail(mobile, options);
  return customer.cardPrograms.flatMap((program) => program.cards).find((card) => card.id === cardId);
}

export async function applyControl(data: CardControlData, flow: ControlFlow): Promise<ControlOutcome> {
  const { action } = data;
  const reconciled = action === 'SET_LIMITS' ? await setLimits(data, flow) : await changeState(action, data, flow);
  return { action, reconciled };
}

/** BLOCK, FREEZE, UNFREEZE. Resolves to `reconciled`. */
async function changeState(action: StateAction, data: CardControlData, flow: ControlFlow): Promise<boolean> {
  const { card91, deadline } = flow;
  const { mobile, cardId } = data;
  const options: CallOptions = { deadline };
  const send = async () => {
    // The contract requires a reason for BLOCK (cardControlData.superRefine).
    if (action === 'BLOCK') await card91.blockCard(mobile, cardId, data.reason!, options);
    else await card91.setCardLock(mobile, cardId, action === 'FREEZE' ? 'LOCKED' : 'UNLOCKED', options);
    return DONE;
  };
  const reconcile = async () => {
    const verdict = judgeStateChange(action, cardId, await findCard(card91, mobile, cardId, options));
    if (verdict.kind === 'refused') throw refusalError(verdict);
    return verdict.kind === 'applied' ? DONE : undefined;
  };
  const { reconciled } = await runWriteOnce(NO_SETTLE_WINDOW, { send, read: reconcile, checkFirst: flow.mayHaveBeenSent, isAlreadyDone: isRefusal, deadline }, { clock: Date.now });
  return reconciled;
}

/**
 * SET_LIMITS. The current settings are always read first: the event names only the fields it
 * changes, and M6 takes whole lines. That read is also the check-first of a redelivery.
 */
async function setLimits(data: CardControlData, flow: ControlFlow): Promise<boolean> {
  const { card91, deadline } = flow;
  const { mobile, cardId } = data;
  const options: CallOptions = { deadline };
  // The contract requires limits for SET_LIMITS (cardControlData.superRefine).
  const requested = data.limits!;
  const readPlan = async () => {
    const plan = planLimits(requested, await card91.getCardSettings(mobile, cardId, options));
    if (plan.kind === 'refused') throw refusalError(plan);
    return plan;
  };
  try {
    const plan = await readPlan();
    if (plan.kind === 'applied') return true;
    const { reconciled } = await runWriteOnce(
      NO_SETTLE_WINDOW,
      {
        send: async () => {
          await card91.setCardSettings(mobile, cardId, plan.limits, options);
          return DONE;
        },
        read: async () => ((await readPlan()).kind === 'applied' ? DONE : undefined),
        checkFirst: false,
        deadline,
      },
      { clock: Date.now },
    );
    return reconciled;
  } catch (error) {
    throw await explainRefusal(error, data, flow);
  }
}

/**
 * Card91 answers a refused read or write with a bare status. The customer's profile says whether
 * the card is theirs and whether it is blocked; when it explains nothing, or cannot be read, the
 * original error stands.
 */
async function explainRefusal(error: unknown, data: CardControlData, flow: ControlFlow): Promise<unknown> {
  if (!isIntegrationError(error) || !isRefusal(error)) return error;
  try {
    const refusal = cardRefusal(data.action, data.cardId, await findCard(flow.card91, data.mobile, data.cardId, { deadline: flow.deadline }));
    return refusal === undefined ? error : refusalError(refusal);
  } catch {
    return error;
  }
}

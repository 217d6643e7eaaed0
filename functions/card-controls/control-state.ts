/**
 * The rules that decide, from what Card91 shows, whether a card control is already in effect,
 * still to be sent, or impossible. Pure functions: the flow (apply-control.ts) reads the card and
 * asks here, both before a write (on a redelivery, or to build a limits change) and after a write
 * whose answer was lost or refused.
 */
import type { Card, CardLimitInput, CardSettings } from '../../shared/card91/index.js';
import { compareDecimals } from '../../shared/card91/index.js';
import type { CardControlData, CardLimit } from '../../shared/contracts/index.js';

export type ControlAction = CardControlData['action'];
export type StateAction = Exclude<ControlAction, 'SET_LIMITS'>;

/** Our codes for refusals we can explain; dead-letter records carry them instead of a bare `C91_400`. */
export const RefusalCode = {
  /** The card is not one of the customer's cards (unknown, or someone else's). */
  CardNotFound: 'CARD_NOT_FOUND',
  /** Blocking is permanent: nothing but another BLOCK can apply to a blocked card. */
  CardBlocked: 'CARD_BLOCKED',
  /** A limits change for a currency the card does not carry. */
  CurrencyNotEnabled: 'CURRENCY_NOT_ENABLED',
  /** A per-transaction limit above the program's `maxPer*` ceiling for it. */
  LimitAboveCeiling: 'LIMIT_ABOVE_CEILING',
} as const;
export type RefusalCode = (typeof RefusalCode)[keyof typeof RefusalCode];

export type Verdict = { kind: 'applied' } | { kind: 'pending' } | { kind: 'refused'; code: RefusalCode; message: string };

/** A limits change: applied or refused as a Verdict, or pending with the full M6 lines to send. */
export type LimitsPlan = Exclude<Verdict, { kind: 'pending' }> | { kind: 'pending'; limits: CardLimitInput[] };

const APPLIED: Verdict = { kind: 'applied' };
const PENDING: Verdict = { kind: 'pending' };

/** Card states in which the card is not frozen. Card91's state set is open (docs/reference/card91.md §5.7): anything else is sent, not assumed. */
const UNFROZEN_STATES: ReadonlySet<string> = new Set(['ACTIVE', 'UNLOCKED', 'INACTIVE']);

export type Refusal = Extract<Verdict, { kind: 'refused' }>;

const refused = (code: RefusalCode, message: string): Refusal => ({ kind: 'refused', code, message });
const notTheCustomersCard = (cardId: string): Refusal => refused(RefusalCode.CardNotFound, `card ${cardId} is not one of this customer's cards`);
const blocked = (cardId: string, action: ControlAction): Refusal => refused(RefusalCode.CardBlocked, `card ${cardId} is permanently blocked; ${action} cannot apply to it`);

/** Why no control of this kind can apply to the card at all, if that is so (`card` undefined: not among the customer's cards). */
export function cardRefusal(action: ControlAction, cardId: string, card: Pick<Card, 'state'> | undefined): Refusal | undefined {
  if (card === undefined) return notTheCustomersCard(cardId);
  if (card.state === 'BLOCKED' && action !== 'BLOCK') return blocked(cardId, action);
  return undefined;
}

/**
 * BLOCK is in effect once the card is BLOCKED (whatever reason it was blocked for: a card cannot be
 * blocked twice); FREEZE once it is LOCKED; UNFREEZE once it is in a state that is not frozen
 * (unlocking restores the state before the lock, which may be INACTIVE for a card never activated).
 */
export function judgeStateChange(action: StateAction, cardId: string, card: Pick<Card, 'state'> | undefined): Verdict {
  if (card === undefined) return notTheCustomersCard(cardId);
  if (card.state === 'BLOCKED') return action === 'BLOCK' ? APPLIED : blocked(cardId, action);
  switch (action) {
    case 'BLOCK':
      return PENDING;
    case 'FREEZE':
      return card.state === 'LOCKED' ? APPLIED : PENDING;
    case 'UNFREEZE':
      return UNFROZEN_STATES.has(card.state) ? APPLIED : PENDING;
  }
}

const AMOUNT_FIELDS = [
  ['perAtmTxnLimit', 'maxPerAtmTxnLimit'],
  ['perOnlineTxnLimit', 'maxPerOnlineTxnLimit'],
  ['perPosTxnLimit', 'maxPerPosTxnLimit'],
  ['perContactlessTxnLimit', 'maxPerContactlessTxnLimit'],
] as const;
const SWITCH_FIELDS = ['isContactLessAllowed', 'isAtmLimitEnabled', 'isOnlineLimitEnabled', 'isPosLimitEnabled'] as const;

/**
 * A SET_LIMITS event names only the fields it changes; M6 takes whole lines. Each requested line
 * is completed from the card's current line for that currency (M5), then checked against the
 * program's ceilings before anything is sent. The change is applied when every requested field
 * already has the requested value (amounts compared as decimals: `80` equals `80.0000`).
 */
export function planLimits(requested: readonly CardLimit[], current: CardSettings): LimitsPlan {
  const lines: CardLimitInput[] = [];
  let applied = true;
  for (const change of requested) {
    const line = current.limits.find((candidate) => candidate.currency === change.currency);
    if (line === undefined) return refused(RefusalCode.CurrencyNotEnabled, `currency ${change.currency} is not enabled on this card`);
    const merged: CardLimitInput = {
      currency: change.currency,
      isContactLessAllowed: change.isContactLessAllowed ?? line.isContactLessAllowed,
      isAtmLimitEnabled: change.isAtmLimitEnabled ?? line.isAtmLimitEnabled,
      isOnlineLimitEnabled: change.isOnlineLimitEnabled ?? line.isOnlineLimitEnabled,
      isPosLimitEnabled: change.isPosLimitEnabled ?? line.isPosLimitEnabled,
      perAtmTxnLimit: change.perAtmTxnLimit ?? line.perAtmTxnLimit,
      perOnlineTxnLimit: change.perOnlineTxnLimit ?? line.perOnlineTxnLimit,
      perPosTxnLimit: change.perPosTxnLimit ?? line.perPosTxnLimit,
      perContactlessTxnLimit: change.perContactlessTxnLimit ?? line.perContactlessTxnLimit,
    };
    for (const [field, ceiling] of AMOUNT_FIELDS) {
      const amount = String(merged[field]);
      if (compareDecimals(amount, line[ceiling]) > 0) {
        return refused(RefusalCode.LimitAboveCeiling, `${field} ${amount} is above the card's ${ceiling} ${line[ceiling]} for ${change.currency}`);
      }
    }
    const amountsMatch = AMOUNT_FIELDS.every(([field]) => change[field] === undefined || compareDecimals(change[field], line[field]) === 0);
    const switchesMatch = SWITCH_FIELDS.every((field) => change[field] === undefined || change[field] === line[field]);
    applied &&= amountsMatch && switchesMatch;
    lines.push(merged);
  }
  return applied ? { kind: 'applied' } : { kind: 'pending', limits: lines };
}

import { describe, expect, it } from 'vitest';
import { cardRefusal, judgeStateChange, planLimits, RefusalCode, type StateAction } from '../../functions/card-controls/control-state.js';
import { cardSettingsSchema } from '../../shared/card91/index.js';
import { cardLimit } from '../../shared/contracts/index.js';

const CARD = 'CID240715054310293ID17085600';

describe('judgeStateChange: is a state change in effect, still to send, or impossible?', () => {
  const cases: Array<[StateAction, string, 'applied' | 'pending' | 'refused']> = [
    ['BLOCK', 'ACTIVE', 'pending'],
    ['BLOCK', 'INACTIVE', 'pending'],
    ['BLOCK', 'LOCKED', 'pending'],
    ['BLOCK', 'BLOCKED', 'applied'],
    ['FREEZE', 'ACTIVE', 'pending'],
    ['FREEZE', 'INACTIVE', 'pending'],
    ['FREEZE', 'UNLOCKED', 'pending'],
    ['FREEZE', 'LOCKED', 'applied'],
    ['FREEZE', 'BLOCKED', 'refused'],
    ['UNFREEZE', 'LOCKED', 'pending'],
    ['UNFREEZE', 'ACTIVE', 'applied'],
    ['UNFREEZE', 'UNLOCKED', 'applied'],
    // Unlocking restores the state before the lock: a never-activated card is not frozen.
    ['UNFREEZE', 'INACTIVE', 'applied'],
    ['UNFREEZE', 'BLOCKED', 'refused'],
    // Card91's state set is open: an unknown state is never taken as "already done".
    ['UNFREEZE', 'SUSPENDED', 'pending'],
    ['FREEZE', 'SUSPENDED', 'pending'],
  ];

  it.each(cases)('%s of a card in state %s → %s', (action, state, expected) => {
    expect(judgeStateChange(action, CARD, { state }).kind).toBe(expected);
  });

  it('refuses a blocked card with CARD_BLOCKED, naming the card and the action', () => {
    expect(judgeStateChange('UNFREEZE', CARD, { state: 'BLOCKED' })).toEqual({
      kind: 'refused',
      code: RefusalCode.CardBlocked,
      message: `card ${CARD} is permanently blocked; UNFREEZE cannot apply to it`,
    });
  });

  it.each(['BLOCK', 'FREEZE', 'UNFREEZE'] as const)('refuses %s of a card that is not among the customer cards with CARD_NOT_FOUND', (action) => {
    expect(judgeStateChange(action, CARD, undefined)).toMatchObject({ kind: 'refused', code: RefusalCode.CardNotFound });
  });
});

describe('cardRefusal: what the customer profile explains about a refused call', () => {
  it('explains a missing card and a blocked card; says nothing about a usable one', () => {
    expect(cardRefusal('SET_LIMITS', CARD, undefined)?.code).toBe(RefusalCode.CardNotFound);
    expect(cardRefusal('SET_LIMITS', CARD, { state: 'BLOCKED' })?.code).toBe(RefusalCode.CardBlocked);
    expect(cardRefusal('SET_LIMITS', CARD, { state: 'ACTIVE' })).toBeUndefined();
    expect(cardRefusal('BLOCK', CARD, { state: 'BLOCKED' })).toBeUndefined();
  });
});

// The card's settings as M5 answers them: amounts with four decimals, parsed into canonical decimal strings.
const currentSettings = cardSettingsSchema.parse({
  limits: [
    {
      currency: 'AED',
      perAtmTxnLimit: 0.0,
      perOnlineTxnLimit: 0.0,
      perPosTxnLimit: 50000.0,
      perContactlessTxnLimit: 0.0,
      maxPerAtmTxnLimit: 90.0,
      maxPerOnlineTxnLimit: 0,
      maxPerPosTxnLimit: 50000.0,
      maxPerContactlessTxnLimit: 0,
      isContactLessAllowed: false,
      isAtmLimitEnabled: false,
      isOnlineLimitEnabled: false,
      isPosLimitEnabled: true,
    },
  ],
});
const change = (line: Record<string, unknown>) => [cardLimit.parse({ currency: 'AED', ...line })];

describe('planLimits: completing, checking and comparing a limits change', () => {
  it('completes the requested fields into a whole M6 line from the current settings', () => {
    expect(planLimits(change({ perAtmTxnLimit: 80, isAtmLimitEnabled: true }), currentSettings)).toEqual({
      kind: 'pending',
      limits: [
        {
          currency: 'AED',
          isContactLessAllowed: false,
          isAtmLimitEnabled: true,
          isOnlineLimitEnabled: false,
          isPosLimitEnabled: true,
          perAtmTxnLimit: '80',
          perOnlineTxnLimit: '0',
          perPosTxnLimit: '50000',
          perContactlessTxnLimit: '0',
        },
      ],
    });
  });

  it('is applied when every requested field already has its value, amounts compared as decimals', () => {
    expect(planLimits(change({ perPosTxnLimit: '50000.00', isPosLimitEnabled: true }), currentSettings)).toEqual({ kind: 'applied' });
  });

  it('is pending when a single switch differs', () => {
    expect(planLimits(change({ perPosTxnLimit: '50000', isPosLimitEnabled: false }), currentSettings).kind).toBe('pending');
  });

  it('refuses an amount above its ceiling with LIMIT_ABOVE_CEILING, naming field, amount and ceiling', () => {
    expect(planLimits(change({ perAtmTxnLimit: '90.01' }), currentSettings)).toEqual({
      kind: 'refused',
      code: RefusalCode.LimitAboveCeiling,
      message: "perAtmTxnLimit 90.01 is above the card's maxPerAtmTxnLimit 90 for AED",
    });
    expect(planLimits(change({ perAtmTxnLimit: '90' }), currentSettings).kind).toBe('pending');
  });

  it('refuses a currency the card does not carry with CURRENCY_NOT_ENABLED', () => {
    expect(planLimits([cardLimit.parse({ currency: 'USD', perAtmTxnLimit: '1' })], currentSettings)).toMatchObject({ kind: 'refused', code: RefusalCode.CurrencyNotEnabled });
  });
});

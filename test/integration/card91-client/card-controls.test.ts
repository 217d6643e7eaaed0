/** Card91Client card controls: limits (M5, M6), lock (M8) and block (M7). */
import { describe, expect, it } from 'vitest';
import { FailureCategory } from '../../../shared/resilience/errors.js';
import { ASHA } from '../../support/card91-fixtures.js';
import { aedLimits, callsTo, stack, useCard91Stack } from './client-setup.js';

useCard91Stack();

describe('M5, M6: card limits', () => {
  it('M5 reads limits and ceilings (0.0000, bare 0 and 50000.0000 alike)', async () => {
    const settings = await stack.client().getCardSettings(ASHA.mobile, ASHA.activeCard);
    expect(settings.limits[0]).toEqual({
      currency: 'AED',
      perAtmTxnLimit: '0',
      perOnlineTxnLimit: '0',
      perPosTxnLimit: '50000',
      perContactlessTxnLimit: '0',
      maxPerAtmTxnLimit: '90',
      maxPerOnlineTxnLimit: '0',
      maxPerPosTxnLimit: '50000',
      maxPerContactlessTxnLimit: '0',
      isContactLessAllowed: false,
      isAtmLimitEnabled: false,
      isOnlineLimitEnabled: false,
      isPosLimitEnabled: true,
    });
  });

  it('M6 sets nested limits[] (decimals exact) and M5 reads them back', async () => {
    const client = stack.client();
    await client.setCardSettings(ASHA.mobile, ASHA.activeCard, [aedLimits({ perAtmTxnLimit: '80.50' })]);

    const aed = (await client.getCardSettings(ASHA.mobile, ASHA.activeCard)).limits.find((line) => line.currency === 'AED');
    expect(aed).toMatchObject({ perAtmTxnLimit: '80.5', isAtmLimitEnabled: true, perPosTxnLimit: '50000' });
  });

  it('M6 refuses a limit above its maxPer* ceiling (400) and changes nothing', async () => {
    const client = stack.client();
    await expect(client.setCardSettings(ASHA.mobile, ASHA.activeCard, [aedLimits({ perAtmTxnLimit: '90.01' })])).rejects.toMatchObject({
      name: 'IntegrationError',
      category: FailureCategory.Permanent,
      code: 'C91_400',
    });

    expect(callsTo('setCardSettings')).toEqual({ '400': 1 }); // not retried
    expect(stack.sandbox.card(ASHA.activeCard)?.limits[0]?.perAtmTxnLimit).toBe('0');
  });
});

describe('M7, M8: lock and block', () => {
  it('M8 toggles LOCKED / UNLOCKED and restores the state the card had before the freeze', async () => {
    const client = stack.client();
    await client.setCardLock(ASHA.mobile, ASHA.activeCard, 'LOCKED');
    expect(stack.sandbox.card(ASHA.activeCard)?.state).toBe('LOCKED');
    await client.setCardLock(ASHA.mobile, ASHA.activeCard, 'UNLOCKED');
    expect(stack.sandbox.card(ASHA.activeCard)?.state).toBe('ACTIVE');

    await client.setCardLock(ASHA.mobile, ASHA.inactiveVirtualCard, 'LOCKED');
    await client.setCardLock(ASHA.mobile, ASHA.inactiveVirtualCard, 'UNLOCKED');
    const cards = (await client.getCustomerDetail(ASHA.mobile)).cardPrograms[0]?.cards;
    expect(cards?.find((card) => card.id === ASHA.inactiveVirtualCard)?.state).toBe('INACTIVE');
  });

  it('M7 blocks permanently: every later status or limit change is a Permanent C91_400', async () => {
    const client = stack.client();
    await client.blockCard(ASHA.mobile, ASHA.activeCard, 'LOST');
    expect(stack.sandbox.card(ASHA.activeCard)).toMatchObject({ state: 'BLOCKED', blockedReason: 'LOST' });

    for (const change of [
      client.setCardLock(ASHA.mobile, ASHA.activeCard, 'UNLOCKED'),
      client.setCardLock(ASHA.mobile, ASHA.activeCard, 'LOCKED'),
      client.blockCard(ASHA.mobile, ASHA.activeCard, 'STOLEN'),
      client.setCardSettings(ASHA.mobile, ASHA.activeCard, [aedLimits()]),
    ]) {
      await expect(change).rejects.toMatchObject({ name: 'IntegrationError', category: FailureCategory.Permanent, code: 'C91_400' });
    }
    expect(stack.sandbox.card(ASHA.activeCard)).toMatchObject({ state: 'BLOCKED', blockedReason: 'LOST' });
  });
});

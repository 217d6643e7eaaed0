/** Writes whose outcome Card91Client cannot know: never sent again, reported as UnknownOutcome. */
import { describe, expect, it } from 'vitest';
import { FailureCategory } from '../../../shared/resilience/errors.js';
import { ASHA } from '../../support/card91-fixtures.js';
import { aedLimits, callsTo, stack, useCard91Stack } from './client-setup.js';

useCard91Stack();

describe('unknown outcomes on writes', () => {
  it.each([
    ['a 500', { fault: 'commitThenFail' }, 'C91_500', 'fault:commitThenFail'],
    ['a dropped connection', { fault: 'commitThenDrop' }, 'C91_NETWORK', 'fault:commitThenDrop'],
  ] as const)('does not retry a write answered by %s after it was applied: UnknownOutcome, reconciled by reading', async (_what, fault, code, outcome) => {
    stack.sandbox.setFaults({ script: [{ path: 'setCardSettings', times: 1, ...fault }] });
    const client = stack.client();

    await expect(client.setCardSettings(ASHA.mobile, ASHA.activeCard, [aedLimits()])).rejects.toMatchObject({ name: 'IntegrationError', category: FailureCategory.UnknownOutcome, code });

    expect(callsTo('setCardSettings')).toEqual({ [outcome]: 1 });
    const aed = (await client.getCardSettings(ASHA.mobile, ASHA.activeCard)).limits.find((line) => line.currency === 'AED');
    expect(aed).toMatchObject({ perAtmTxnLimit: '80', isAtmLimitEnabled: true });
  });

  it('does not retry a write that timed out: UnknownOutcome C91_TIMEOUT', async () => {
    stack.sandbox.setFaults({ script: [{ path: 'setCardLock', fault: 'hang', times: 1 }] });
    await expect(stack.client({ timeoutMs: 300 }).setCardLock(ASHA.mobile, ASHA.activeCard, 'LOCKED')).rejects.toMatchObject({
      name: 'IntegrationError',
      category: FailureCategory.UnknownOutcome,
      code: 'C91_TIMEOUT',
    });

    expect(callsTo('setCardLock')).toEqual({ 'fault:hang': 1 });
    expect(stack.calls.filter((call) => call.method === 'setCardLock').map((call) => call.status)).toEqual(['timeout']);
  });

  it('does not retry a write answered 500 before anything was applied either: the client cannot tell', async () => {
    stack.sandbox.setFaults({ script: [{ path: 'blockCard', fault: 'error', times: 1, status: 500 }] });
    await expect(stack.client().blockCard(ASHA.mobile, ASHA.activeCard, 'STOLEN')).rejects.toMatchObject({ name: 'IntegrationError', category: FailureCategory.UnknownOutcome, code: 'C91_500' });

    expect(stack.sandbox.card(ASHA.activeCard)?.state).toBe('ACTIVE');
  });
});

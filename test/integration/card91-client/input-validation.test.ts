/** Card91Client input checks, and the personal data kept out of its errors. */
import { describe, expect, it } from 'vitest';
import { FailureCategory } from '../../../shared/resilience/errors.js';
import { ASHA, ROHAN } from '../../support/card91-fixtures.js';
import { aedLimits, stack, useCard91Stack } from './client-setup.js';

useCard91Stack();

describe('input validation and PII', () => {
  it('refuses invalid input before any HTTP call, as an InvalidEvent naming fields only', async () => {
    const client = stack.client();
    const invalid = { name: 'IntegrationError', category: FailureCategory.InvalidEvent, code: 'C91_INVALID_REQUEST' };
    await expect(client.getCardSettings('9876543210', ASHA.activeCard)).rejects.toMatchObject({ ...invalid, message: expect.not.stringContaining('9876543210') });
    await expect(client.blockCard(ASHA.mobile, '../admin', 'LOST')).rejects.toMatchObject(invalid);
    await expect(client.setCardSettings(ASHA.mobile, ASHA.activeCard, [aedLimits({ perAtmTxnLimit: '-1' })])).rejects.toMatchObject({
      ...invalid,
      message: expect.stringContaining('limits.0.perAtmTxnLimit'),
    });
    expect(stack.calls).toEqual([]);
  });

  it('keeps the mobile, tokens and bodies out of every error message', async () => {
    stack.sandbox.setFaults({ script: [{ path: 'getCustomerDetail', fault: 'error', times: 10 }] });
    const client = stack.client();
    const calls = [() => client.getCustomerDetail(ASHA.mobile), () => client.getCardSettings(ASHA.mobile, ROHAN.card), () => client.setCardLock(ASHA.mobile, ASHA.blockedCard, 'UNLOCKED')];
    for (const call of calls) {
      const failure = call();
      await expect(failure).rejects.toMatchObject({ name: 'IntegrationError', message: expect.stringMatching(/^Card91 \w+ failed: HTTP \d{3} \(C91_\d{3}\)$/) });
      await expect(failure).rejects.toMatchObject({ message: expect.not.stringContaining(ASHA.mobile) });
    }
  });
});

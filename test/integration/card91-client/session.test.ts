/** The customer token (Jwt_token) Card91Client logs in for, caches, renews and is scoped by. */
import { describe, expect, it } from 'vitest';
import { FailureCategory } from '../../../shared/resilience/errors.js';
import { ASHA, ROHAN } from '../../support/card91-fixtures.js';
import { startCard91Stack } from '../card91-harness.js';
import { callsTo, stack, useCard91Stack } from './client-setup.js';

useCard91Stack();

describe('session: the customer token', () => {
  it('logs in once and reuses the cached Jwt_token for later calls', async () => {
    const client = stack.client();
    await client.getCustomerDetail(ASHA.mobile);
    await client.getCurrencyBalances(ASHA.mobile, ASHA.accountId);
    await client.getCardSettings(ASHA.mobile, ASHA.activeCard);

    expect(callsTo('loginWithToken')).toEqual({ '200': 1 });
  });

  it('logs in again once on a 401 and repeats the call', async () => {
    const client = stack.client();
    await client.getCardSettings(ASHA.mobile, ASHA.activeCard);
    stack.sandbox.revokeTokens();

    const settings = await client.getCardSettings(ASHA.mobile, ASHA.activeCard);

    expect(settings.limits).toHaveLength(2);
    expect(callsTo('loginWithToken')).toEqual({ '200': 2 });
    expect(callsTo('getCardSettings')).toEqual({ '200': 2, '401': 1 });
  });

  it('repeats a write after a 401 too: the 401 proves it was not applied', async () => {
    const client = stack.client();
    await client.getCardSettings(ASHA.mobile, ASHA.activeCard);
    stack.sandbox.revokeTokens();

    await client.setCardLock(ASHA.mobile, ASHA.activeCard, 'LOCKED');

    expect(stack.sandbox.card(ASHA.activeCard)?.state).toBe('LOCKED');
    expect(callsTo('setCardLock')).toEqual({ '200': 1, '401': 1 });
  });

  it('gives up with Permanent C91_401 when the fresh token is refused too (exactly one re-login)', async () => {
    const expiring = await startCard91Stack({ sandbox: { tokenTtlSeconds: 0 } });
    try {
      await expect(expiring.client().getCardSettings(ASHA.mobile, ASHA.activeCard)).rejects.toMatchObject({ name: 'IntegrationError', category: FailureCategory.Permanent, code: 'C91_401' });
      expect(expiring.sandbox.stats().calls).toMatchObject({ loginWithToken: { '200': 2 }, getCardSettings: { '401': 2 } });
    } finally {
      await expiring.close();
    }
  });

  it('scopes the token to its customer: another customer’s card or account is 403', async () => {
    const client = stack.client();

    const forbidden = { name: 'IntegrationError', code: 'C91_403' };
    await expect(client.getCardSettings(ASHA.mobile, ROHAN.card)).rejects.toMatchObject(forbidden);
    await expect(client.blockCard(ASHA.mobile, ROHAN.card, 'STOLEN')).rejects.toMatchObject(forbidden);
    await expect(client.getTransactions(ASHA.mobile, { accountId: ROHAN.accountId })).rejects.toMatchObject(forbidden);
    await expect(client.getTrips(ASHA.mobile, { customerId: ROHAN.customerId })).rejects.toMatchObject(forbidden);
    expect(stack.sandbox.card(ROHAN.card)?.state).toBe('ACTIVE');
  });

  it('reports an unknown card or account as Permanent C91_404', async () => {
    const client = stack.client();
    await expect(client.getCardSettings(ASHA.mobile, 'CID000000000000000ID00000000')).rejects.toMatchObject({ name: 'IntegrationError', category: FailureCategory.Permanent, code: 'C91_404' });
    await expect(client.getCurrencyBalances(ASHA.mobile, '111111111111')).rejects.toMatchObject({ name: 'IntegrationError', code: 'C91_404' });
  });
});

/** M1: Card91Client logging in with an sdkAuthToken that our auth-URL webhook checks. */
import { describe, expect, it } from 'vitest';
import { FailureCategory } from '../../../shared/resilience/errors.js';
import { mintSdkAuthToken } from '../../../shared/card91/index.js';
import { ASHA, ROHAN } from '../../support/card91-fixtures.js';
import { newSecret, startCard91Stack } from '../card91-harness.js';
import { callsTo, stack, useCard91Stack } from './client-setup.js';

useCard91Stack();

describe('M1 login through our auth-URL webhook', () => {
  it('logs in with a valid sdkAuthToken and returns the customer detail', async () => {
    const customer = await stack.client().loginWithToken(ASHA.mobile);

    expect(customer.id).toBe(ASHA.customerId);
    expect(customer.mobile).toBe(ASHA.mobile);
    expect(customer.dob).toBe('2001-03-17'); // DD-MM-YYYY on the wire
    expect(customer.passportValidity).toBe('2040-03-17');
    expect(customer.lrsLimit).toBe('250000'); // 250000.00 on the wire, never a float
    expect(customer.documents[0]?.id).toBe('117'); // a number on the wire
    expect(customer.cardPrograms[0]?.accountId).toBe(ASHA.accountId);
    expect(customer.cardPrograms[0]?.cards.map((card) => [card.id, card.state])).toEqual([
      [ASHA.activeCard, 'ACTIVE'],
      [ASHA.inactiveVirtualCard, 'INACTIVE'],
      [ASHA.blockedCard, 'BLOCKED'],
    ]);
    expect(stack.outcomes).toEqual([{ outcome: 'accepted' }]);
    expect(stack.sandbox.stats().webhook).toMatchObject({ accepted: 1, refused: 0, withBusinessToken: 0 });
  });

  it.each([
    ['expired', () => mintSdkAuthToken({ mobile: ASHA.mobile, secret: stack.signing.secret, ttlSeconds: 60, now: Date.now() - 120_000 })],
    ['forged', () => mintSdkAuthToken({ mobile: ASHA.mobile, secret: { kid: stack.signing.secret.kid, secret: newSecret('x').secret } })],
    ['mismatch', () => mintSdkAuthToken({ mobile: ROHAN.mobile, secret: stack.signing.secret })],
  ] as const)('refuses a %s token: the webhook answers 401, Card91 refuses the login', async (reason, mint) => {
    const client = stack.client({ sdkAuthTokenProvider: async () => mint() });

    await expect(client.loginWithToken(ASHA.mobile)).rejects.toMatchObject({ name: 'IntegrationError', category: FailureCategory.Permanent, code: 'C91_401' });

    expect(stack.outcomes).toEqual([{ outcome: 'rejected', reason }]);
    expect(callsTo('loginWithToken')).toEqual({ '401': 1 }); // a refused login is not retried
  });

  it('accepts tokens under either secret during a rotation, and refuses the retired one afterwards', async () => {
    const previous = stack.signing.secret;
    const next = newSecret('2027-01');
    stack.webhookSecrets = [next, previous];

    await expect(stack.client({ sdkAuthTokenProvider: async (mobile) => mintSdkAuthToken({ mobile, secret: previous }) }).loginWithToken(ASHA.mobile)).resolves.toMatchObject({ mobile: ASHA.mobile });
    await expect(stack.client({ sdkAuthTokenProvider: async (mobile) => mintSdkAuthToken({ mobile, secret: next }) }).loginWithToken(ASHA.mobile)).resolves.toMatchObject({ mobile: ASHA.mobile });

    stack.webhookSecrets = [next];
    const withPrevious = stack.client({ sdkAuthTokenProvider: async (mobile) => mintSdkAuthToken({ mobile, secret: previous }) });
    await expect(withPrevious.loginWithToken(ASHA.mobile)).rejects.toMatchObject({ name: 'IntegrationError', code: 'C91_401' });
    expect(stack.outcomes.map((outcome) => outcome.outcome)).toEqual(['accepted', 'accepted', 'rejected']);
  });
});

describe('M1 login: business token and failures', () => {
  it('sends the X-C91-B-Token business token from the webhook when one is configured', async () => {
    const withBusinessToken = await startCard91Stack({ businessToken: 'eyJhbGciOiJIUzUxMiJ9.e30.sig' });
    try {
      await withBusinessToken.client().loginWithToken(ASHA.mobile);
      expect(withBusinessToken.sandbox.stats().webhook).toMatchObject({ accepted: 1, withBusinessToken: 1 });
    } finally {
      await withBusinessToken.close();
    }
  });

  it('does not call Card91 when our own token provider fails, and says so with a transient code', async () => {
    const client = stack.client({
      sdkAuthTokenProvider: async () => {
        throw new Error('secret store unavailable');
      },
      retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 },
    });

    await expect(client.getCustomerDetail(ASHA.mobile)).rejects.toMatchObject({ name: 'IntegrationError', category: FailureCategory.Transient, code: 'C91_SDK_AUTH_TOKEN_UNAVAILABLE' });

    expect(stack.sandbox.stats().calls).toEqual({});
  });

  it('answers 502 (transient, retried) when the webhook cannot be reached', async () => {
    const unreachable = await startCard91Stack({ sandbox: { authWebhookUrl: 'http://127.0.0.1:9/unreachable', webhookTimeoutMs: 500 } });
    try {
      const client = unreachable.client({ retry: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 1 } });
      await expect(client.loginWithToken(ASHA.mobile)).rejects.toMatchObject({ name: 'IntegrationError', category: FailureCategory.Transient, code: 'C91_502' });
      expect(unreachable.sandbox.stats().calls.loginWithToken).toEqual({ '502': 2 });
    } finally {
      await unreachable.close();
    }
  });
});

/** Card91Client retries: transient failures only, within its budget, and not through an open breaker. */
import { describe, expect, it } from 'vitest';
import { CIRCUIT_OPEN, DependencyBreaker } from '../../../shared/resilience/breaker.js';
import { FailureCategory } from '../../../shared/resilience/errors.js';
import { ASHA } from '../../support/card91-fixtures.js';
import { startCard91Stack } from '../card91-harness.js';
import { callsTo, stack, useCard91Stack } from './client-setup.js';

useCard91Stack();

describe('retries (transient only)', () => {
  it('retries a read on 503 and succeeds', async () => {
    stack.sandbox.setFaults({ script: [{ path: 'getCardSettings', fault: 'error', times: 2 }] });
    await stack.client().getCardSettings(ASHA.mobile, ASHA.activeCard);

    expect(callsTo('getCardSettings')).toEqual({ 'fault:error': 2, '200': 1 });
    expect(stack.calls.filter((call) => call.method === 'getCardSettings').map((call) => call.status)).toEqual([503, 503, 200]);
  });

  it('gives up after maxRetries with a Transient error', async () => {
    stack.sandbox.setFaults({ script: [{ path: 'getCardSettings', fault: 'error', times: 10, status: 502 }] });
    await expect(stack.client().getCardSettings(ASHA.mobile, ASHA.activeCard)).rejects.toMatchObject({ name: 'IntegrationError', category: FailureCategory.Transient, code: 'C91_502', status: 502 });

    expect(callsTo('getCardSettings')).toEqual({ 'fault:error': 4 });
  });

  it('retries a read that timed out', async () => {
    stack.sandbox.setFaults({ script: [{ path: '/mctc/v1/customer/limits/CARD/:cardId', fault: 'hang', times: 1 }] });
    await stack.client({ timeoutMs: 300 }).getCardSettings(ASHA.mobile, ASHA.activeCard);

    expect(stack.calls.filter((call) => call.method === 'getCardSettings').map((call) => call.status)).toEqual(['timeout', 200]);
  });

  it('retries the login on 5xx (it changes no card)', async () => {
    stack.sandbox.setFaults({ script: [{ path: '/mctc/v1/customer/login/token', fault: 'error', times: 1 }] });
    await stack.client().loginWithToken(ASHA.mobile);
    expect(callsTo('loginWithToken')).toEqual({ 'fault:error': 1, '200': 1 });
  });
});

describe('retries: throttling, and writes Card91 proves it did not apply', () => {
  it('honours Retry-After on a 429', async () => {
    stack.sandbox.setFaults({ script: [{ path: 'getTransactions', fault: 'throttle', times: 1 }], retryAfterSeconds: 1 });
    const started = Date.now();
    await stack.client().getTransactions(ASHA.mobile, { accountId: ASHA.accountId });

    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(callsTo('getTransactions')).toEqual({ 'fault:throttle': 1, '200': 1 });
  });

  it('backs off when the per-token rate limit answers 429', async () => {
    const limited = await startCard91Stack({ sandbox: { rateLimit: { perSecond: 2, burst: 1 } } });
    try {
      const client = limited.client();
      await client.getCardSettings(ASHA.mobile, ASHA.activeCard);
      await client.getCardSettings(ASHA.mobile, ASHA.activeCard);
      expect(limited.sandbox.stats().calls.getCardSettings).toEqual({ '200': 2, '429': 1 });
    } finally {
      await limited.close();
    }
  });

  it('retries a write on 429 and 503: both prove the change was not applied', async () => {
    stack.sandbox.setFaults({
      retryAfterSeconds: 0,
      script: [
        { path: 'blockCard', fault: 'throttle', times: 1 },
        { path: 'blockCard', fault: 'error', times: 1, status: 503 },
      ],
    });
    await stack.client().blockCard(ASHA.mobile, ASHA.activeCard, 'STOLEN');

    expect(callsTo('blockCard')).toEqual({ 'fault:throttle': 1, 'fault:error': 1, '200': 1 });
    expect(stack.sandbox.card(ASHA.activeCard)?.state).toBe('BLOCKED');
  });
});

describe('circuit breaker', () => {
  it('stops calling through an open circuit breaker', async () => {
    stack.sandbox.setFaults({ script: [{ path: 'getCardSettings', fault: 'error', times: 10 }] });
    const breaker = new DependencyBreaker('card91', { failureRatio: 0.5, windowMs: 10_000, minimumCalls: 2, halfOpenAfterMs: 60_000, maxHalfOpenAfterMs: 60_000 });
    const client = stack.client({ breaker });

    await expect(client.getCardSettings(ASHA.mobile, ASHA.activeCard)).rejects.toMatchObject({ name: 'IntegrationError', code: CIRCUIT_OPEN });

    expect(breaker.isOpen).toBe(true);
    expect(callsTo('getCardSettings')).toEqual({ 'fault:error': 2 });
  });
});

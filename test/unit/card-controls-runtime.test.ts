import { describe, expect, it } from 'vitest';
import { verifySdkAuthToken } from '../../shared/card91/index.js';
import { card91WorkerEnv, loadEnv } from '../../shared/config/worker-env.js';
import { sdkAuthSecretsProvider } from '../../shared/card91/sdk-auth-secrets.js';
import { sdkAuthTokenProvider } from '../../shared/worker/card91-runtime.js';

const BASE = {
  POWERTOOLS_SERVICE_NAME: 'card-controls',
  QUEUE_URL: 'http://sqs.us-east-1.localhost:4566/000000000000/local-card-controls',
  DLQ_URL: 'http://sqs.us-east-1.localhost:4566/000000000000/local-card-controls-dlq',
  QUEUE_FIFO: 'false',
  MAX_RECEIVE_COUNT: '5',
  IDEMPOTENCY_TABLE: 'local-idempotency',
  TENANTS_PARAMETER: '/prod/tenants',
  CARD91_BASE_URL: 'https://card91.example',
  CARD91_ORG_ID: 'OID240605060125057ID16561311',
};
const CURRENT = { kid: '2026-11', secret: 'c'.repeat(40) };
const PREVIOUS = { kid: '2026-05', secret: 'p'.repeat(40) };

describe('card91WorkerEnv', () => {
  it('takes the Secrets Manager id in production, with the queue worker defaults', () => {
    const env = loadEnv(card91WorkerEnv, { ...BASE, CARD91_SDK_AUTH_SECRETS_ID: 'prod/card91-sdk-auth-signing', CARD91_TIMEOUT_MS: '3000' });
    expect(env).toMatchObject({ CARD91_SDK_AUTH_SECRETS_ID: 'prod/card91-sdk-auth-signing', CARD91_TIMEOUT_MS: 3000, QUEUE_FIFO: false, RETRY_BASE_DELAY_MS: 200 });
  });

  it('names every problem: no signing secrets, a malformed org id, a base URL that is not one', () => {
    expect(() => loadEnv(card91WorkerEnv, { ...BASE, CARD91_ORG_ID: 'OID 1/2', CARD91_BASE_URL: 'card91' })).toThrow(/CARD91_BASE_URL.*CARD91_ORG_ID/);
    expect(() => loadEnv(card91WorkerEnv, BASE)).toThrow('set CARD91_SDK_AUTH_SECRETS_ID (Secrets Manager) or CARD91_SDK_AUTH_SECRETS_JSON (local)');
  });
});

describe('sdkAuthToken minting', () => {
  it('signs with the first secret of the document, for the mobile being logged in', async () => {
    const mint = sdkAuthTokenProvider({ CARD91_SDK_AUTH_SECRETS_JSON: JSON.stringify([CURRENT, PREVIOUS]) });
    const token = await mint('919876543210');
    expect(await verifySdkAuthToken(token, '919876543210', [CURRENT])).toMatchObject({ ok: true });
    expect(await verifySdkAuthToken(token, '919876543210', [PREVIOUS])).toEqual({ ok: false, reason: 'forged' });
  });

  it('refuses an inline document that is not JSON or not secrets, without quoting it', () => {
    const secretLooking = 'zzzz-not-json-0123456789-0123456789';
    expect(() => sdkAuthSecretsProvider({ CARD91_SDK_AUTH_SECRETS_JSON: secretLooking })).toThrow(/^CARD91_SDK_AUTH_SECRETS_JSON is not valid JSON$/);
    expect(() => sdkAuthSecretsProvider({ CARD91_SDK_AUTH_SECRETS_JSON: JSON.stringify([{ kid: 'k', secret: 'short' }]) })).toThrow(/does not hold/);
  });
});

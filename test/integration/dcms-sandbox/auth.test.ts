/** The sandbox with authentication on: bearer tokens from `/api/authenticate`. */
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import { startDcmsSandbox, type RunningDcmsSandbox } from '../../../sandbox/dcms/server.js';
import { call, exceptionOf, expectEnvelope } from './sandbox-setup.js';

describe('DCMS sandbox with auth', () => {
  let sandbox: RunningDcmsSandbox;
  const authenticate = (body: unknown) => fetch(`${sandbox.url}/api/authenticate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  beforeAll(async () => {
    sandbox = await startDcmsSandbox({ port: 0, auth: { users: { api_user: 's3cret' }, tokenTtlSeconds: 0.3 } });
  });
  afterAll(() => sandbox.close());

  it('refuses calls without a valid bearer token', async () => {
    const attempts: Record<string, string>[] = [{}, { authorization: 'Bearer forged' }, { authorization: 'Bearer eyJh.eyJl.c2ln' }, { authorization: 'Basic YTpi' }];
    for (const headers of attempts) {
      const answer = await call(sandbox.url, '/viewCustomer', { entityId: 'x' }, { headers });
      expect(answer.status).toBe(401);
      expectEnvelope(answer);
      expect(exceptionOf(answer)).toMatchObject({ errorCode: 'unauthorized', httpStatus: 'UNAUTHORIZED' });
    }
  });

  it('refuses bad credentials', async () => {
    expect((await authenticate({ username: 'api_user', password: 'wrong' })).status).toBe(401);
    expect((await authenticate({ username: 'toString', password: '' })).status).toBe(401);
    expect((await authenticate({ username: 'api_user' })).status).toBe(400);
  });

  it('accepts a token from /api/authenticate until it expires', async () => {
    // The sandbox reads the clock only to issue and check tokens: a fake Date moves it to each side of the expiry.
    vi.useFakeTimers({ toFake: ['Date'] });
    onTestFinished(() => void vi.useRealTimers());
    const login = await authenticate({ username: 'api_user', password: 's3cret' });
    expect(login.status).toBe(200);
    const { id_token: token } = (await login.json()) as { id_token: string };
    const [, payload] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8')) as { exp: number; sub: string };
    expect(claims.sub).toBe('api_user');
    expect(claims.exp * 1000 - Date.now()).toBeCloseTo(300);
    const headers = { authorization: `Bearer ${token}` };
    vi.setSystemTime(claims.exp * 1000 - 1);
    expect((await call(sandbox.url, '/viewCustomer', { entityId: 'x' }, { headers })).status).toBe(400); // CUS001: past auth
    vi.setSystemTime(claims.exp * 1000);
    expect((await call(sandbox.url, '/viewCustomer', { entityId: 'x' }, { headers })).status).toBe(401);
  });
});

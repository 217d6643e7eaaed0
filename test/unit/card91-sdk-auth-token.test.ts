import { createHmac } from 'node:crypto';
import * as crypto from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { mintBusinessJwt } from '../../shared/card91/business-jwt.js';
import { mintSdkAuthToken, verifySdkAuthToken } from '../../shared/card91/sdk-auth-token.js';

vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof crypto>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

const MOBILE = '919876543210';
const CURRENT = { kid: '2026-11', secret: 'c'.repeat(32) + 'current' };
const PREVIOUS = { kid: '2026-05', secret: 'p'.repeat(32) + 'previous' };
const NOW = Date.parse('2026-11-22T10:00:00Z');

const decode = (part: string): Record<string, unknown> => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;

afterEach(() => {
  vi.mocked(crypto.timingSafeEqual).mockClear();
});

describe('mintSdkAuthToken', () => {
  it('mints a compact HS256 JWT with a kid, a keyed hash of the mobile (never the mobile) and a 300 s expiry', async () => {
    const token = await mintSdkAuthToken({ mobile: MOBILE, secret: CURRENT, now: NOW });
    const [header, payload] = token.split('.') as [string, string, string];

    expect(decode(header)).toEqual({ alg: 'HS256', typ: 'JWT', kid: '2026-11' });
    const claims = decode(payload);
    expect(claims.exp).toBe(NOW / 1_000 + 300);
    expect(token).not.toContain(MOBILE);
    expect(Buffer.from(token.replaceAll('.', ''), 'base64url').toString('latin1')).not.toContain(MOBILE);
    // keyed: the same mobile under another secret hashes differently, so it cannot be looked up in a table
    expect(decode((await mintSdkAuthToken({ mobile: MOBILE, secret: PREVIOUS, now: NOW })).split('.')[1]!).sub).not.toBe(claims.sub);
  });

  it('is a standard HS256 JWT under the derived signature key, so tokens stay valid across the switch to jose', async () => {
    const token = await mintSdkAuthToken({ mobile: MOBILE, secret: CURRENT, now: NOW });
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const signatureKey = createHmac('sha256', CURRENT.secret).update('card91-sdk-auth-token/signature').digest();
    expect(signature).toBe(createHmac('sha256', signatureKey).update(`${header}.${payload}`).digest('base64url'));
    expect(Object.keys(decode(payload))).toEqual(['sub', 'iat', 'exp', 'jti']);
  });

  it('mints a different token for each login, even for one mobile in the same second (each token is usable once)', async () => {
    const [first, second] = await Promise.all([mintSdkAuthToken({ mobile: MOBILE, secret: CURRENT, now: NOW }), mintSdkAuthToken({ mobile: MOBILE, secret: CURRENT, now: NOW })]);
    expect(first).not.toBe(second);
    expect(decode(first!.split('.')[1]!).jti).not.toBe(decode(second!.split('.')[1]!).jti);
  });

  it('refuses weak secrets, unusable kids, malformed mobiles and unreasonable lifetimes', async () => {
    await expect(mintSdkAuthToken({ mobile: MOBILE, secret: { kid: 'k', secret: 'short' } })).rejects.toThrow(RangeError);
    await expect(mintSdkAuthToken({ mobile: MOBILE, secret: { kid: 'bad kid', secret: CURRENT.secret } })).rejects.toThrow(RangeError);
    await expect(mintSdkAuthToken({ mobile: '9876543210', secret: CURRENT })).rejects.toThrow(RangeError);
    await expect(mintSdkAuthToken({ mobile: MOBILE, secret: CURRENT, ttlSeconds: 0 })).rejects.toThrow(RangeError);
    await expect(mintSdkAuthToken({ mobile: MOBILE, secret: CURRENT, ttlSeconds: 86_400 })).rejects.toThrow(RangeError);
  });
});

/** A genuine token for MOBILE under CURRENT, minted at NOW. */
let token: string;
beforeAll(async () => {
  token = await mintSdkAuthToken({ mobile: MOBILE, secret: CURRENT, now: NOW });
});

describe('verifySdkAuthToken', () => {
  it('accepts a genuine, unexpired token for its mobile', async () => {
    expect(await verifySdkAuthToken(token, MOBILE, [CURRENT], NOW + 299_000)).toMatchObject({ ok: true });
  });

  it('reports expired at and after exp', async () => {
    expect(await verifySdkAuthToken(token, MOBILE, [CURRENT], NOW + 300_000)).toEqual({ ok: false, reason: 'expired' });
  });

  it('reports mismatch for another mobile', async () => {
    expect(await verifySdkAuthToken(token, '919812345678', [CURRENT], NOW)).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('accepts tokens under either secret during a rotation', async () => {
    const old = await mintSdkAuthToken({ mobile: MOBILE, secret: PREVIOUS, now: NOW });
    expect(await verifySdkAuthToken(old, MOBILE, [CURRENT, PREVIOUS], NOW)).toMatchObject({ ok: true });
    expect(await verifySdkAuthToken(token, MOBILE, [CURRENT, PREVIOUS], NOW)).toMatchObject({ ok: true });
    expect(await verifySdkAuthToken(old, MOBILE, [CURRENT], NOW)).toEqual({ ok: false, reason: 'forged' });
  });
});

/** A token genuinely signed under CURRENT for MOBILE, with the claims given: what a holder of the key could mint by hand. */
function signedWith(claims: Record<string, number>): string {
  const minted = decode(token.split('.')[1]!);
  const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: CURRENT.kid })).toString('base64url');
  const payload = Buffer.from(JSON.stringify({ sub: minted.sub, ...claims })).toString('base64url');
  const signatureKey = createHmac('sha256', CURRENT.secret).update('card91-sdk-auth-token/signature').digest();
  return `${header}.${payload}.${createHmac('sha256', signatureKey).update(`${header}.${payload}`).digest('base64url')}`;
}

describe('verifySdkAuthToken: a lifetime minting could have given', () => {
  const nowSeconds = NOW / 1_000;

  it.each([
    ['iat a day ahead', { iat: nowSeconds + 86_400, exp: nowSeconds + 86_700 }, 'premature'],
    ['nbf a day ahead', { iat: nowSeconds, nbf: nowSeconds + 86_400, exp: nowSeconds + 3_000 }, 'premature'],
    ['iat past the allowed skew', { iat: nowSeconds + 61, exp: nowSeconds + 361 }, 'premature'],
    ['a 10-year lifetime', { iat: nowSeconds, exp: nowSeconds + 10 * 365 * 86_400 }, 'overlong'],
    ['one second more than minting allows', { iat: nowSeconds - 10, exp: nowSeconds - 10 + 3_601 }, 'overlong'],
    ['no iat at all', { exp: nowSeconds + 300 }, 'malformed'],
  ] as const)('refuses a genuinely signed token with %s', async (_what, claims, reason) => {
    expect(await verifySdkAuthToken(signedWith(claims), MOBILE, [CURRENT], NOW)).toEqual({ ok: false, reason });
  });

  it('accepts dates within the skew and the longest lifetime minting gives, and reports the expiry', async () => {
    expect(await verifySdkAuthToken(signedWith({ iat: nowSeconds + 60, nbf: nowSeconds + 60, exp: nowSeconds + 360 }), MOBILE, [CURRENT], NOW)).toEqual({
      ok: true,
      expiresAtSeconds: nowSeconds + 360,
    });
    expect(await verifySdkAuthToken(signedWith({ iat: nowSeconds, exp: nowSeconds + 3_600 }), MOBILE, [CURRENT], NOW)).toEqual({ ok: true, expiresAtSeconds: nowSeconds + 3_600 });
  });
});

describe('verifySdkAuthToken: forged and malformed tokens', () => {
  it('reports forged for a wrong secret, an unknown kid, a tampered payload or signature', async () => {
    expect(await verifySdkAuthToken(token, MOBILE, [{ kid: CURRENT.kid, secret: 'x'.repeat(40) }], NOW)).toEqual({ ok: false, reason: 'forged' });
    expect(await verifySdkAuthToken(token, MOBILE, [PREVIOUS], NOW)).toEqual({ ok: false, reason: 'forged' });

    const [header, payload, signature] = token.split('.') as [string, string, string];
    const longer = Buffer.from(JSON.stringify({ ...decode(payload), exp: NOW / 1_000 + 86_400 })).toString('base64url');
    expect(await verifySdkAuthToken(`${header}.${longer}.${signature}`, MOBILE, [CURRENT], NOW)).toEqual({ ok: false, reason: 'forged' });
    const flipped = signature.slice(0, -2) + (signature.at(-2) === 'A' ? 'B' : 'A') + signature.at(-1);
    expect(await verifySdkAuthToken(`${header}.${payload}.${flipped}`, MOBILE, [CURRENT], NOW)).toEqual({ ok: false, reason: 'forged' });
  });

  it('refuses an alg other than HS256 (no alg confusion, no "none")', async () => {
    const [, payload] = token.split('.') as [string, string, string];
    const none = Buffer.from(JSON.stringify({ alg: 'none', kid: CURRENT.kid })).toString('base64url');
    expect(await verifySdkAuthToken(`${none}.${payload}.AAAA`, MOBILE, [CURRENT], NOW)).toEqual({ ok: false, reason: 'malformed' });
  });

  it.each(['', 'abc', 'a.b', 'a.b.c.d', 'e30.e30.e30', '!!.??.**', `${'a'.repeat(2_000)}.b.c`])('reports malformed for %j', async (garbage) => {
    expect(await verifySdkAuthToken(garbage, MOBILE, [CURRENT], NOW)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('checks the signature with WebCrypto HMAC verify and the mobile hash with crypto.timingSafeEqual, never with ===', async () => {
    const timingSafeEqual = vi.mocked(crypto.timingSafeEqual);
    const subtleVerify = vi.spyOn(globalThis.crypto.subtle, 'verify');
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const wrongFirstByte = (signature.startsWith('A') ? 'B' : 'A') + signature.slice(1);

    expect(await verifySdkAuthToken(`${header}.${payload}.${wrongFirstByte}`, MOBILE, [CURRENT], NOW)).toEqual({ ok: false, reason: 'forged' });
    expect(subtleVerify).toHaveBeenCalledTimes(1);
    expect(subtleVerify.mock.calls[0]![0]).toMatchObject({ name: 'HMAC' });
    expect(timingSafeEqual).not.toHaveBeenCalled();

    subtleVerify.mockClear();
    expect(await verifySdkAuthToken(token, '919812345678', [CURRENT], NOW)).toEqual({ ok: false, reason: 'mismatch' });
    expect(subtleVerify).toHaveBeenCalledTimes(1);
    expect(timingSafeEqual).toHaveBeenCalledTimes(1);
    const [expected, provided] = timingSafeEqual.mock.calls[0]!;
    expect([(expected as Buffer).length, (provided as Buffer).length]).toEqual([32, 32]);
    subtleVerify.mockRestore();
  });
});

describe('mintBusinessJwt (X-C91-B-Token)', () => {
  it('signs {sub: apiKey, iat, exp} with HS512 and the API secret, as Card91’s business APIs expect', async () => {
    const jwt = await mintBusinessJwt({ apiKey: 'Rrmzh31AhXWy=', apiSecret: 'portal-secret', ttlSeconds: 180, now: NOW });
    const [header, payload, signature] = jwt.split('.') as [string, string, string];

    expect(decode(header)).toEqual({ alg: 'HS512' });
    expect(decode(payload)).toEqual({ sub: 'Rrmzh31AhXWy=', iat: NOW / 1_000, exp: NOW / 1_000 + 180 });
    expect(signature).toBe(createHmac('sha512', 'portal-secret').update(`${header}.${payload}`).digest('base64url'));
  });

  it('refuses lifetimes beyond Card91’s 10 minutes and empty credentials', async () => {
    await expect(mintBusinessJwt({ apiKey: 'k', apiSecret: 's', ttlSeconds: 601 })).rejects.toThrow(RangeError);
    await expect(mintBusinessJwt({ apiKey: '', apiSecret: 's' })).rejects.toThrow(RangeError);
  });
});

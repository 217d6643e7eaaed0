import { createHmac } from 'node:crypto';
import * as crypto from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
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
  it('mints a compact HS256 JWT with a kid, a keyed hash of the mobile (never the mobile) and a 300 s expiry', () => {
    const token = mintSdkAuthToken({ mobile: MOBILE, secret: CURRENT, now: NOW });
    const [header, payload] = token.split('.') as [string, string, string];

    expect(decode(header)).toEqual({ alg: 'HS256', typ: 'JWT', kid: '2026-11' });
    const claims = decode(payload);
    expect(claims.exp).toBe(NOW / 1_000 + 300);
    expect(token).not.toContain(MOBILE);
    expect(Buffer.from(token.replaceAll('.', ''), 'base64url').toString('latin1')).not.toContain(MOBILE);
    // keyed: the same mobile under another secret hashes differently, so it cannot be looked up in a table
    expect(decode(mintSdkAuthToken({ mobile: MOBILE, secret: PREVIOUS, now: NOW }).split('.')[1]!).sub).not.toBe(claims.sub);
  });

  it('refuses weak secrets, unusable kids, malformed mobiles and unreasonable lifetimes', () => {
    expect(() => mintSdkAuthToken({ mobile: MOBILE, secret: { kid: 'k', secret: 'short' } })).toThrow(RangeError);
    expect(() => mintSdkAuthToken({ mobile: MOBILE, secret: { kid: 'bad kid', secret: CURRENT.secret } })).toThrow(RangeError);
    expect(() => mintSdkAuthToken({ mobile: '9876543210', secret: CURRENT })).toThrow(RangeError);
    expect(() => mintSdkAuthToken({ mobile: MOBILE, secret: CURRENT, ttlSeconds: 0 })).toThrow(RangeError);
    expect(() => mintSdkAuthToken({ mobile: MOBILE, secret: CURRENT, ttlSeconds: 86_400 })).toThrow(RangeError);
  });
});

describe('verifySdkAuthToken', () => {
  const token = mintSdkAuthToken({ mobile: MOBILE, secret: CURRENT, now: NOW });

  it('accepts a genuine, unexpired token for its mobile', () => {
    expect(verifySdkAuthToken(token, MOBILE, [CURRENT], NOW + 299_000)).toEqual({ ok: true });
  });

  it('reports expired at and after exp', () => {
    expect(verifySdkAuthToken(token, MOBILE, [CURRENT], NOW + 300_000)).toEqual({ ok: false, reason: 'expired' });
  });

  it('reports mismatch for another mobile', () => {
    expect(verifySdkAuthToken(token, '919812345678', [CURRENT], NOW)).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('reports forged for a wrong secret, an unknown kid, a tampered payload or signature', () => {
    expect(verifySdkAuthToken(token, MOBILE, [{ kid: CURRENT.kid, secret: 'x'.repeat(40) }], NOW)).toEqual({ ok: false, reason: 'forged' });
    expect(verifySdkAuthToken(token, MOBILE, [PREVIOUS], NOW)).toEqual({ ok: false, reason: 'forged' });

    const [header, payload, signature] = token.split('.') as [string, string, string];
    const longer = Buffer.from(JSON.stringify({ ...decode(payload), exp: NOW / 1_000 + 86_400 })).toString('base64url');
    expect(verifySdkAuthToken(`${header}.${longer}.${signature}`, MOBILE, [CURRENT], NOW)).toEqual({ ok: false, reason: 'forged' });
    const flipped = signature.slice(0, -2) + (signature.at(-2) === 'A' ? 'B' : 'A') + signature.at(-1);
    expect(verifySdkAuthToken(`${header}.${payload}.${flipped}`, MOBILE, [CURRENT], NOW)).toEqual({ ok: false, reason: 'forged' });
  });

  it('refuses an alg other than HS256 (no alg confusion, no "none")', () => {
    const [, payload] = token.split('.') as [string, string, string];
    const none = Buffer.from(JSON.stringify({ alg: 'none', kid: CURRENT.kid })).toString('base64url');
    expect(verifySdkAuthToken(`${none}.${payload}.AAAA`, MOBILE, [CURRENT], NOW)).toEqual({ ok: false, reason: 'malformed' });
  });

  it.each(['', 'abc', 'a.b', 'a.b.c.d', 'e30.e30.e30', '!!.??.**', `${'a'.repeat(2_000)}.b.c`])('reports malformed for %j', (garbage) => {
    expect(verifySdkAuthToken(garbage, MOBILE, [CURRENT], NOW)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('accepts tokens under either secret during a rotation', () => {
    const old = mintSdkAuthToken({ mobile: MOBILE, secret: PREVIOUS, now: NOW });
    expect(verifySdkAuthToken(old, MOBILE, [CURRENT, PREVIOUS], NOW)).toEqual({ ok: true });
    expect(verifySdkAuthToken(token, MOBILE, [CURRENT, PREVIOUS], NOW)).toEqual({ ok: true });
    expect(verifySdkAuthToken(old, MOBILE, [CURRENT], NOW)).toEqual({ ok: false, reason: 'forged' });
  });

  it('compares signature and mobile hash with crypto.timingSafeEqual, never with ===', () => {
    const timingSafeEqual = vi.mocked(crypto.timingSafeEqual);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const wrongFirstByte = (signature.startsWith('A') ? 'B' : 'A') + signature.slice(1);

    expect(verifySdkAuthToken(`${header}.${payload}.${wrongFirstByte}`, MOBILE, [CURRENT], NOW)).toEqual({ ok: false, reason: 'forged' });
    expect(timingSafeEqual).toHaveBeenCalledTimes(1);
    const [expected, provided] = timingSafeEqual.mock.calls[0]!;
    expect([(expected as Buffer).length, (provided as Buffer).length]).toEqual([32, 32]);

    timingSafeEqual.mockClear();
    expect(verifySdkAuthToken(token, '919812345678', [CURRENT], NOW)).toEqual({ ok: false, reason: 'mismatch' });
    expect(timingSafeEqual).toHaveBeenCalledTimes(2); // signature, then mobile hash
  });
});

describe('mintBusinessJwt (X-C91-B-Token)', () => {
  it('signs {sub: apiKey, iat, exp} with HS512 and the API secret, as Card91’s business APIs expect', () => {
    const jwt = mintBusinessJwt({ apiKey: 'Rrmzh31AhXWy=', apiSecret: 'portal-secret', ttlSeconds: 180, now: NOW });
    const [header, payload, signature] = jwt.split('.') as [string, string, string];

    expect(decode(header)).toEqual({ alg: 'HS512' });
    expect(decode(payload)).toEqual({ sub: 'Rrmzh31AhXWy=', iat: NOW / 1_000, exp: NOW / 1_000 + 180 });
    expect(signature).toBe(createHmac('sha512', 'portal-secret').update(`${header}.${payload}`).digest('base64url'));
  });

  it('refuses lifetimes beyond Card91’s 10 minutes and empty credentials', () => {
    expect(() => mintBusinessJwt({ apiKey: 'k', apiSecret: 's', ttlSeconds: 601 })).toThrow(RangeError);
    expect(() => mintBusinessJwt({ apiKey: '', apiSecret: 's' })).toThrow(RangeError);
  });
});

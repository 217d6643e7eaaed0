import { describe, expect, it } from 'vitest';
import { jwtExpiry } from '../../shared/jwt/expiry.js';

const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const jwtWith = (claims: unknown) => `${part({ alg: 'HS256' })}.${part(claims)}.sig`;

describe('jwtExpiry', () => {
  it('reads exp (seconds) of a JWT-shaped token as epoch ms, without checking the signature', () => {
    expect(jwtExpiry(jwtWith({ exp: 42 }))).toBe(42_000);
  });

  it('knows nothing about opaque tokens, broken payloads or an exp that is not a number', () => {
    expect(jwtExpiry('C91IP_NqP44YecjzTTI/TubfPiWGmPzRaf0UJJI=')).toBeUndefined();
    expect(jwtExpiry('a.b.c')).toBeUndefined();
    expect(jwtExpiry(jwtWith({ sub: 'x' }))).toBeUndefined();
    expect(jwtExpiry(jwtWith({ exp: 'soon' }))).toBeUndefined();
    expect(jwtExpiry(jwtWith([1, 2]))).toBeUndefined();
  });
});

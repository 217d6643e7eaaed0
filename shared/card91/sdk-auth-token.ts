/**
 * Our app's `sdkAuthToken` (docs/reference/card91.md §1.2): we mint it before each Card91 login,
 * Card91 hands it to our auth-URL webhook, and the webhook verifies it belongs to that mobile, is
 * unexpired and is genuine.
 *
 * Format: a compact HS256 JWT (signed and checked with jose), so standard tooling can read it:
 *   header  {alg: "HS256", typ: "JWT", kid}  kid names the secret, so two secrets can be valid
 *                                            while one is being rotated out
 *   payload {sub, iat, exp, jti}             sub = keyed hash of the mobile, never the mobile;
 *                                            jti = a random id, so that two logins of one mobile in
 *                                            the same second get two tokens, each usable once
 * A token is only as good as its bounds: one dated ahead of our clock, or living longer than
 * minting allows, was not minted by us as we mint, whoever holds the key, and is refused.
 * The mobile hash is an HMAC under the secret, not a bare SHA-256: a 10-digit number space is
 * small enough that an unkeyed hash could be reversed by enumeration.
 * Signature and mobile hash use keys derived from the secret for each purpose (domain separation).
 * Secret-dependent bytes are compared in constant time: the signature by WebCrypto's HMAC verify
 * (inside jose), the mobile hash by crypto.timingSafeEqual.
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { compactVerify, decodeJwt, decodeProtectedHeader, SignJWT } from 'jose';
import * as z from 'zod';
import { mobileSchema } from './request-schemas.js';

export interface SdkAuthSecret {
  /** Key id written into the token header; any short label (e.g. `2026-11`). */
  kid: string;
  /** At least 32 characters of high-entropy secret. */
  secret: string;
}

/** `premature`: issued (`iat`) or valid (`nbf`) only in the future; `overlong`: a lifetime minting never gives. */
export type SdkAuthTokenFailure = 'expired' | 'forged' | 'mismatch' | 'malformed' | 'premature' | 'overlong';
/** A token that passes carries its expiry: how long the webhook must remember it was used. */
export type SdkAuthTokenVerdict = { ok: true; expiresAtSeconds: number } | { ok: false; reason: SdkAuthTokenFailure };

export interface MintSdkAuthTokenInput {
  /** `91` + 10 digits, exactly as it will be sent in the Card91 login. */
  mobile: string;
  secret: SdkAuthSecret;
  /** Card91 calls the webhook during the login that follows at once: keep this short. */
  ttlSeconds?: number;
  /** Epoch ms. */
  now?: number;
}

const MIN_SECRET_LENGTH = 32;
/** The longest lifetime minting gives, and so the longest a genuine token can have. */
export const MAX_TTL_SECONDS = 3_600;
/**
 * How far ahead of the verifier's clock a token's `iat`/`nbf` may be. Tokens are minted by our
 * Lambda functions (synchronised clocks) and by the operator CLI on a workstation, whose clock may
 * drift by some seconds; a minute covers both and gives a forger nothing.
 */
export const ALLOWED_CLOCK_SKEW_SECONDS = 60;
/** Tokens longer than this are not ours; refusing them early bounds the work an attacker can cause. */
const MAX_TOKEN_LENGTH = 1_024;
const KID = /^[A-Za-z0-9._-]{1,64}$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

const headerSchema = z.object({ alg: z.literal('HS256'), typ: z.literal('JWT').optional(), kid: z.string().regex(KID) });
// Every token we mint has an `iat`: one without it cannot have its lifetime checked, and is not ours.
const payloadSchema = z.object({ sub: z.string().regex(BASE64URL), iat: z.number().int(), nbf: z.number().int().optional(), exp: z.number().int() });
type Claims = z.output<typeof payloadSchema> & { kid: string };

const derivedKey = (secret: string, purpose: 'signature' | 'mobile'): Buffer => createHmac('sha256', secret).update(`card91-sdk-auth-token/${purpose}`).digest();

const mobileDigest = (secret: string, mobile: string): Buffer => createHmac('sha256', derivedKey(secret, 'mobile')).update(mobile).digest();

const MALFORMED: SdkAuthTokenVerdict = { ok: false, reason: 'malformed' };
const FORGED: SdkAuthTokenVerdict = { ok: false, reason: 'forged' };

function assertUsableSecret(secret: SdkAuthSecret): void {
  if (!KID.test(secret.kid)) throw new RangeError('sdkAuthToken secret kid must be 1-64 of [A-Za-z0-9._-]');
  if (secret.secret.length < MIN_SECRET_LENGTH) throw new RangeError(`sdkAuthToken secret must be at least ${MIN_SECRET_LENGTH} characters`);
}

export async function mintSdkAuthToken({ mobile, secret, ttlSeconds = 300, now = Date.now() }: MintSdkAuthTokenInput): Promise<string> {
  assertUsableSecret(secret);
  if (!mobileSchema.safeParse(mobile).success) throw new RangeError('mobile must be 91 followed by 10 digits');
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > MAX_TTL_SECONDS) {
    throw new RangeError(`ttlSeconds must be an integer from 1 to ${MAX_TTL_SECONDS}`);
  }
  const iat = Math.floor(now / 1_000);
  return new SignJWT()
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: secret.kid })
    .setSubject(mobileDigest(secret.secret, mobile).toString('base64url'))
    .setIssuedAt(iat)
    .setExpirationTime(iat + ttlSeconds)
    .setJti(randomUUID())
    .sign(derivedKey(secret.secret, 'signature'));
}

/** Header and claims when the token has our shape; undefined otherwise. Nothing is trusted yet. */
function decodeShape(token: string): Claims | undefined {
  if (token.length > MAX_TOKEN_LENGTH) return undefined;
  try {
    const header = headerSchema.safeParse(decodeProtectedHeader(token));
    const payload = payloadSchema.safeParse(decodeJwt(token));
    return header.success && payload.success ? { kid: header.data.kid, ...payload.data } : undefined;
  } catch {
    return undefined;
  }
}

async function genuine(token: string, secret: SdkAuthSecret): Promise<boolean> {
  try {
    await compactVerify(token, derivedKey(secret.secret, 'signature'), { algorithms: ['HS256'] });
    return true;
  } catch {
    return false;
  }
}

/** Equal lengths are public (both sides are SHA-256 outputs); the bytes are compared in constant time. */
const sameBytes = (expected: Buffer, provided: Buffer): boolean => expected.length === provided.length && timingSafeEqual(expected, provided);

/** `premature` or `overlong` when the token's dates are not those minting gives; undefined when they are. */
function lifetimeFailure(claims: Claims, nowSeconds: number): SdkAuthTokenFailure | undefined {
  const latestStart = nowSeconds + ALLOWED_CLOCK_SKEW_SECONDS;
  if (claims.iat > latestStart || (claims.nbf !== undefined && claims.nbf > latestStart)) return 'premature';
  if (claims.exp - claims.iat > MAX_TTL_SECONDS) return 'overlong';
  return undefined;
}

/**
 * Checks, in order: shape (`malformed`), a known kid and a genuine signature (`forged`), the
 * mobile it was minted for (`mismatch`), dates minting could have given (`premature`,
 * `overlong`), expiry (`expired`). The reasons are for our logs and metrics only; the webhook
 * answers all of them with the same 401.
 */
export async function verifySdkAuthToken(token: string, mobile: string, secrets: readonly SdkAuthSecret[], now: number = Date.now()): Promise<SdkAuthTokenVerdict> {
  const claims = decodeShape(token);
  if (claims === undefined) return MALFORMED;
  const secret = secrets.find((candidate) => candidate.kid === claims.kid);
  if (secret === undefined || !(await genuine(token, secret))) return FORGED;
  if (!sameBytes(mobileDigest(secret.secret, mobile), Buffer.from(claims.sub, 'base64url'))) return { ok: false, reason: 'mismatch' };
  const nowSeconds = Math.floor(now / 1_000);
  const outOfBounds = lifetimeFailure(claims, nowSeconds);
  if (outOfBounds) return { ok: false, reason: outOfBounds };
  if (nowSeconds >= claims.exp) return { ok: false, reason: 'expired' };
  return { ok: true, expiresAtSeconds: claims.exp };
}

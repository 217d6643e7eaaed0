/**
 * Our app's `sdkAuthToken` (reference §1.2): we mint it before each Card91 login, Card91 hands it
 * to our auth-URL webhook, and the webhook verifies it belongs to that mobile, is unexpired and is
 * genuine.
 *
 * Format: a compact HS256 JWT, `header.payload.signature` (base64url), so standard tooling can
 * read it:
 *   header  {alg: "HS256", typ: "JWT", kid}  kid names the secret, so two secrets can be valid
 *                                            while one is being rotated out
 *   payload {sub, iat, exp}                  sub = keyed hash of the mobile, never the mobile
 * The mobile hash is an HMAC under the secret, not a bare SHA-256: a 10-digit number space is
 * small enough that an unkeyed hash could be reversed by enumeration.
 * Signature and mobile hash use keys derived from the secret for each purpose (domain separation).
 * Every comparison of secret-dependent bytes goes through crypto.timingSafeEqual.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import * as z from 'zod';
import { mobileSchema } from './schemas.js';

export interface SdkAuthSecret {
  /** Key id written into the token header; any short label (e.g. `2026-11`). */
  kid: string;
  /** At least 32 characters of high-entropy secret. */
  secret: string;
}

export type SdkAuthTokenFailure = 'expired' | 'forged' | 'mismatch' | 'malformed';
export type SdkAuthTokenVerdict = { ok: true } | { ok: false; reason: SdkAuthTokenFailure };

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
const MAX_TTL_SECONDS = 3_600;
/** Tokens longer than this are not ours; refusing them early bounds the work an attacker can cause. */
const MAX_TOKEN_LENGTH = 1_024;
const KID = /^[A-Za-z0-9._-]{1,64}$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

const headerSchema = z.object({ alg: z.literal('HS256'), typ: z.literal('JWT').optional(), kid: z.string().regex(KID) });
const payloadSchema = z.object({ sub: z.string().regex(BASE64URL), iat: z.number().int().optional(), exp: z.number().int() });

const derivedKey = (secret: string, purpose: 'signature' | 'mobile'): Buffer =>
  createHmac('sha256', secret).update(`card91-sdk-auth-token/${purpose}`).digest();

const signatureOf = (secret: string, signingInput: string): Buffer =>
  createHmac('sha256', derivedKey(secret, 'signature')).update(signingInput).digest();

const mobileDigest = (secret: string, mobile: string): Buffer =>
  createHmac('sha256', derivedKey(secret, 'mobile')).update(mobile).digest();

const encodeJson = (value: unknown): string => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

/** Equal lengths are public (both sides are SHA-256 outputs); the bytes are compared in constant time. */
const sameBytes = (expected: Buffer, provided: Buffer): boolean =>
  expected.length === provided.length && timingSafeEqual(expected, provided);

function assertUsableSecret(secret: SdkAuthSecret): void {
  if (!KID.test(secret.kid)) throw new RangeError('sdkAuthToken secret kid must be 1-64 of [A-Za-z0-9._-]');
  if (secret.secret.length < MIN_SECRET_LENGTH) throw new RangeError(`sdkAuthToken secret must be at least ${MIN_SECRET_LENGTH} characters`);
}

export function mintSdkAuthToken({ mobile, secret, ttlSeconds = 300, now = Date.now() }: MintSdkAuthTokenInput): string {
  assertUsableSecret(secret);
  if (!mobileSchema.safeParse(mobile).success) throw new RangeError('mobile must be 91 followed by 10 digits');
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > MAX_TTL_SECONDS) {
    throw new RangeError(`ttlSeconds must be an integer from 1 to ${MAX_TTL_SECONDS}`);
  }
  const iat = Math.floor(now / 1_000);
  const header = encodeJson({ alg: 'HS256', typ: 'JWT', kid: secret.kid });
  const payload = encodeJson({ sub: mobileDigest(secret.secret, mobile).toString('base64url'), iat, exp: iat + ttlSeconds });
  const signature = signatureOf(secret.secret, `${header}.${payload}`).toString('base64url');
  return `${header}.${payload}.${signature}`;
}

function decodeJson<T>(part: string, schema: z.ZodType<T>): T | undefined {
  try {
    const parsed = schema.safeParse(JSON.parse(Buffer.from(part, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Checks, in order: shape (`malformed`), a known kid and a genuine signature (`forged`), the
 * mobile it was minted for (`mismatch`), expiry (`expired`). The reasons are for our logs and
 * metrics only; the webhook answers all of them with the same 401.
 */
export function verifySdkAuthToken(
  token: string,
  mobile: string,
  secrets: readonly SdkAuthSecret[],
  now: number = Date.now(),
): SdkAuthTokenVerdict {
  if (token.length > MAX_TOKEN_LENGTH) return { ok: false, reason: 'malformed' };
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((part) => BASE64URL.test(part))) return { ok: false, reason: 'malformed' };
  const [encodedHeader, encodedPayload, encodedSignature] = parts as [string, string, string];
  const header = decodeJson(encodedHeader, headerSchema);
  const payload = decodeJson(encodedPayload, payloadSchema);
  if (header === undefined || payload === undefined) return { ok: false, reason: 'malformed' };

  const secret = secrets.find((candidate) => candidate.kid === header.kid);
  if (secret === undefined) return { ok: false, reason: 'forged' };
  const expectedSignature = signatureOf(secret.secret, `${encodedHeader}.${encodedPayload}`);
  if (!sameBytes(expectedSignature, Buffer.from(encodedSignature, 'base64url'))) return { ok: false, reason: 'forged' };

  if (!sameBytes(mobileDigest(secret.secret, mobile), Buffer.from(payload.sub, 'base64url'))) return { ok: false, reason: 'mismatch' };
  if (Math.floor(now / 1_000) >= payload.exp) return { ok: false, reason: 'expired' };
  return { ok: true };
}

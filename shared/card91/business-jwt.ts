/**
 * Card91's business API JWT (docs/reference/card91.md §1.2): HS512 over `{sub: apiKey, iat, exp}`
 * with the API secret from the business portal, `exp` at most 10 minutes ahead (2–5 recommended).
 * The auth-URL page asks our login webhook to return one in the `X-C91-B-Token` response header.
 * Not to be confused with the customer token (`Jwt_token`).
 */
import { SignJWT } from 'jose';

export interface BusinessJwtInput {
  apiKey: string;
  apiSecret: string;
  /** 1–600; Card91 refuses more than 10 minutes. */
  ttlSeconds?: number;
  /** Epoch ms. */
  now?: number;
}

const MAX_TTL_SECONDS = 600;

export async function mintBusinessJwt({ apiKey, apiSecret, ttlSeconds = 180, now = Date.now() }: BusinessJwtInput): Promise<string> {
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > MAX_TTL_SECONDS) {
    throw new RangeError(`ttlSeconds must be an integer from 1 to ${MAX_TTL_SECONDS}`);
  }
  if (apiKey.length === 0 || apiSecret.length === 0) throw new RangeError('apiKey and apiSecret are required');
  const iat = Math.floor(now / 1_000);
  return new SignJWT()
    .setProtectedHeader({ alg: 'HS512' })
    .setSubject(apiKey)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ttlSeconds)
    .sign(new TextEncoder().encode(apiSecret));
}

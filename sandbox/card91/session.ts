/**
 * Customer sessions in the sandbox: the bearer token issued in the `Jwt_token` login header and the
 * per-token rate limit behind 429.
 *
 * The real token is opaque (docs/reference/card91.md §3 M1); the sandbox issues an HS256 JWT
 * (jose) with `exp` so clients can exercise expiry handling. `revokeAll` invalidates every token
 * issued so far (a generation counter in the token), which is how tests force the 401 → re-login path.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import * as z from 'zod';

const claimsSchema = z.object({ sub: z.string(), gen: z.number() });

export class SandboxTokenIssuer {
  private readonly secret = randomBytes(32);
  private generation = 0;

  constructor(private readonly ttlSeconds: number) {}

  issue(customerId: string, now: number = Date.now()): Promise<string> {
    const iat = Math.floor(now / 1_000);
    return new SignJWT({ gen: this.generation })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(customerId)
      .setIssuedAt(iat)
      .setExpirationTime(iat + this.ttlSeconds)
      .setJti(randomUUID())
      .sign(this.secret);
  }

  /** The customer id the token was issued to, or undefined when it is forged, expired or revoked. */
  async verify(token: string, now: number = Date.now()): Promise<string | undefined> {
    try {
      const { payload } = await jwtVerify(token, this.secret, { algorithms: ['HS256'], requiredClaims: ['exp'], currentDate: new Date(now) });
      const claims = claimsSchema.parse(payload);
      return claims.gen === this.generation ? claims.sub : undefined;
    } catch {
      return undefined;
    }
  }

  revokeAll(): void {
    this.generation += 1;
  }
}

export interface RateLimit {
  /** Sustained requests per second per token. */
  perSecond: number;
  /** Requests a token may make at once before the sustained rate applies. */
  burst: number;
}

/** Token bucket per bearer token (Card91 publishes no numbers: docs/reference/card91.md §1.4). */
export class PerTokenRateLimiter {
  private readonly buckets = new Map<string, { tokens: number; refilledAt: number }>();

  constructor(private readonly limit: RateLimit) {}

  /** True when the call may proceed. */
  take(key: string, now: number = Date.now()): boolean {
    const bucket = this.buckets.get(key) ?? { tokens: this.limit.burst, refilledAt: now };
    bucket.tokens = Math.min(this.limit.burst, bucket.tokens + ((now - bucket.refilledAt) / 1_000) * this.limit.perSecond);
    bucket.refilledAt = now;
    const allowed = bucket.tokens >= 1;
    if (allowed) bucket.tokens -= 1;
    this.buckets.set(key, bucket);
    return allowed;
  }

  clear(): void {
    this.buckets.clear();
  }
}

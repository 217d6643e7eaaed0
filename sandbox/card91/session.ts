/**
 * Customer sessions in the sandbox: the bearer token issued in the `Jwt_token` login header and the
 * per-token rate limit behind 429.
 *
 * The real token is opaque (reference §M1); the sandbox issues an HS256 JWT with `exp` so clients
 * can exercise expiry handling. `revokeAll` invalidates every token issued so far (a generation
 * counter in the token), which is how tests force the 401 → re-login path.
 */
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import * as z from 'zod';

const claimsSchema = z.object({ sub: z.string(), exp: z.number(), gen: z.number() });

const encodeJson = (value: unknown): string => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

export class SandboxTokenIssuer {
  private readonly secret = randomBytes(32);
  private generation = 0;

  constructor(private readonly ttlSeconds: number) {}

  issue(customerId: string, now: number = Date.now()): string {
    const iat = Math.floor(now / 1_000);
    const signingInput = `${encodeJson({ alg: 'HS256', typ: 'JWT' })}.${encodeJson({ sub: customerId, iat, exp: iat + this.ttlSeconds, gen: this.generation, jti: randomUUID() })}`;
    return `${signingInput}.${this.sign(signingInput).toString('base64url')}`;
  }

  /** The customer id the token was issued to, or undefined when it is forged, expired or revoked. */
  verify(token: string, now: number = Date.now()): string | undefined {
    const [header, payload, signature, ...rest] = token.split('.');
    if (header === undefined || payload === undefined || signature === undefined || rest.length > 0) return undefined;
    const expected = this.sign(`${header}.${payload}`);
    const provided = Buffer.from(signature, 'base64url');
    if (expected.length !== provided.length || !timingSafeEqual(expected, provided)) return undefined;
    let claims: z.infer<typeof claimsSchema>;
    try {
      claims = claimsSchema.parse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
    } catch {
      return undefined;
    }
    if (claims.gen !== this.generation || Math.floor(now / 1_000) >= claims.exp) return undefined;
    return claims.sub;
  }

  revokeAll(): void {
    this.generation += 1;
  }

  private sign(signingInput: string): Buffer {
    return createHmac('sha256', this.secret).update(signingInput).digest();
  }
}

export interface RateLimit {
  /** Sustained requests per second per token. */
  perSecond: number;
  /** Requests a token may make at once before the sustained rate applies. */
  burst: number;
}

/** Token bucket per bearer token (Card91 publishes no numbers: reference §1.4). */
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

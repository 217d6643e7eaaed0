import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

export interface AuthSettings {
  /** username → password */
  users: Record<string, string>;
  /** Token lifetime; DCMS's is configurable, typically one hour (docs/reference/dcms.md §1.1). */
  tokenTtlSeconds?: number;
}

const DEFAULT_TTL_SECONDS = 3600;
const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

export type TokenCheck = { valid: true } | { valid: false; reason: string };

/**
 * Issues HS256 JWTs for `/api/authenticate`, signed with a key that lives as long as the server.
 * A real JWT (not a random string) because clients read `exp` to know when to log in again;
 * verification is stateless, so a long-running sandbox keeps no token list.
 */
export class TokenIssuer {
  private readonly key = randomBytes(32);
  private readonly ttlMs: number;

  constructor(
    private readonly settings: AuthSettings,
    private readonly nowMs: () => number = () => Date.now(),
  ) {
    this.ttlMs = (settings.tokenTtlSeconds ?? DEFAULT_TTL_SECONDS) * 1000;
  }

  /** A token for valid credentials, or undefined. */
  login(username: string, password: string): string | undefined {
    if (!Object.hasOwn(this.settings.users, username) || this.settings.users[username] !== password) return undefined;
    const now = this.nowMs();
    // NumericDate may be fractional (RFC 7519 §2), which keeps sub-second test TTLs exact.
    const claims = { sub: username, iat: Math.floor(now / 1000), exp: (now + this.ttlMs) / 1000, jti: randomUUID() };
    const unsigned = `${HEADER}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
    return `${unsigned}.${this.sign(unsigned)}`;
  }

  check(authorization: string | undefined): TokenCheck {
    const match = /^Bearer\s+([\w-]+)\.([\w-]+)\.([\w-]+)\s*$/i.exec(authorization ?? '');
    if (match === null) return { valid: false, reason: 'Missing bearer token' };
    const [, header, payload, signature] = match as unknown as [string, string, string, string];
    const expected = Buffer.from(this.sign(`${header}.${payload}`));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { valid: false, reason: 'Invalid token' };
    const { exp } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp: number };
    if (exp * 1000 <= this.nowMs()) return { valid: false, reason: 'Token expired' };
    return { valid: true };
  }

  private sign(unsigned: string): string {
    return createHmac('sha256', this.key).update(unsigned).digest('base64url');
  }
}

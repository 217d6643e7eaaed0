import { randomBytes } from 'node:crypto';

export interface AuthSettings {
  /** username → password */
  users: Record<string, string>;
  /** Token lifetime; DCMS's is configurable, typically one hour (reference §1.1). */
  tokenTtlSeconds?: number;
}

const DEFAULT_TTL_SECONDS = 3600;

export type TokenCheck = { valid: true } | { valid: false; reason: string };

/**
 * Issues opaque bearer tokens for `/api/authenticate`. Callers must treat DCMS's JWT as opaque
 * anyway, so a random string with a server-side expiry exercises the same client paths.
 */
export class TokenIssuer {
  private readonly tokens = new Map<string, number>();
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
    this.dropExpired();
    const token = randomBytes(32).toString('base64url');
    this.tokens.set(token, this.nowMs() + this.ttlMs);
    return token;
  }

  check(authorization: string | undefined): TokenCheck {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (match?.[1] === undefined) return { valid: false, reason: 'Missing bearer token' };
    const expiresAt = this.tokens.get(match[1]);
    if (expiresAt === undefined) return { valid: false, reason: 'Invalid token' };
    if (expiresAt <= this.nowMs()) return { valid: false, reason: 'Token expired' };
    return { valid: true };
  }

  /** Keeps a long-running local sandbox from accumulating dead tokens. */
  private dropExpired(): void {
    const now = this.nowMs();
    for (const [token, expiresAt] of this.tokens) if (expiresAt <= now) this.tokens.delete(token);
  }
}

/**
 * Customer tokens (`Jwt_token` login header), cached per mobile for the life of a Lambda instance.
 *
 * Card91 documents no lifetime (docs/reference/card91.md §1.2) and its sample token is opaque, not a JWT. If a
 * token does decode as a JWT with a numeric `exp`, that expiry is used; otherwise the configured
 * default TTL. Either way a 401 still triggers a fresh login, so a wrong guess costs one call.
 * Entries are dropped `refreshMarginMs` before they expire (at most half the token's lifetime, so
 * a short-lived token is still used) so that a call never starts with a token about to lapse.
 */
import { jwtExpiry } from '../jwt/expiry.js';

export interface TokenCacheOptions {
  /** Lifetime assumed for tokens that carry no readable expiry. */
  defaultTtlMs: number;
  /** Treat a token as expired this long before its real expiry. */
  refreshMarginMs?: number;
  /** Most customers kept; the least recently stored is dropped first (bounds memory in a long-lived instance). */
  maxEntries?: number;
  now?: () => number;
}

interface CachedToken {
  token: string;
  /** Expiry less the refresh margin. */
  usableUntil: number;
}

export class CustomerTokenCache {
  private readonly entries = new Map<string, CachedToken>();
  private readonly defaultTtlMs: number;
  private readonly refreshMarginMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(options: TokenCacheOptions) {
    this.defaultTtlMs = options.defaultTtlMs;
    this.refreshMarginMs = options.refreshMarginMs ?? 30_000;
    this.maxEntries = options.maxEntries ?? 1_000;
    this.now = options.now ?? Date.now;
  }

  /** A token still comfortably valid for this customer, if any. */
  get(mobile: string): string | undefined {
    const entry = this.entries.get(mobile);
    if (entry === undefined) return undefined;
    if (this.now() >= entry.usableUntil) {
      this.entries.delete(mobile);
      return undefined;
    }
    return entry.token;
  }

  set(mobile: string, token: string): void {
    const now = this.now();
    const expiresAt = jwtExpiry(token) ?? now + this.defaultTtlMs;
    const margin = Math.max(0, Math.min(this.refreshMarginMs, (expiresAt - now) / 2));
    this.entries.delete(mobile);
    this.entries.set(mobile, { token, usableUntil: expiresAt - margin });
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
  }

  /**
   * Forgets the customer's token, but only if it is still the one that was rejected: a concurrent
   * call may already have logged in again, and its fresh token must survive.
   */
  invalidate(mobile: string, rejectedToken: string): void {
    if (this.entries.get(mobile)?.token === rejectedToken) this.entries.delete(mobile);
  }
}

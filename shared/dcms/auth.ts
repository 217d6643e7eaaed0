import * as z from 'zod';
import { jwtExpiry } from '../jwt/expiry.js';

export interface DcmsCredentials {
  username: string;
  password: string;
}

const authenticateResponse = z.object({ id_token: z.string().min(1) });

/** Seconds before expiry at which a cached token is no longer handed out. */
const EXPIRY_MARGIN_MS = 60_000;
/** DCMS tokens typically live an hour (docs/reference/dcms.md §1.1); used when the token is not a readable JWT. */
const DEFAULT_TTL_MS = 55 * 60_000;

/**
 * Bearer tokens from `/api/authenticate`, one per tenant, cached until shortly before expiry
 * (there is no refresh call: authenticate again). Concurrent callers share one in-flight login.
 */
export class DcmsTokenCache {
  private readonly tokens = new Map<string, Promise<{ token: string; expiresAt: number }>>();

  constructor(
    private readonly login: (tenant: string) => Promise<string>,
    private readonly now: () => number = Date.now,
  ) {}

  async get(tenant: string): Promise<string> {
    const cached = this.tokens.get(tenant);
    if (cached) {
      const entry = await cached.catch(() => undefined);
      if (entry && entry.expiresAt - EXPIRY_MARGIN_MS > this.now()) return entry.token;
      if (this.tokens.get(tenant) !== cached) return this.get(tenant);
    }
    const pending = this.login(tenant).then((token) => ({ token, expiresAt: jwtExpiry(token) ?? this.now() + DEFAULT_TTL_MS }));
    this.tokens.set(tenant, pending);
    pending.catch(() => this.tokens.delete(tenant));
    return (await pending).token;
  }

  invalidate(tenant: string): void {
    this.tokens.delete(tenant);
  }

  static parseResponse(body: unknown): string {
    return authenticateResponse.parse(body).id_token;
  }
}

/**
 * The customer scope of Card91 calls (docs/reference/card91.md §1.2): the client logs a customer in
 * on demand (M1 with our sdkAuthToken), caches the `Jwt_token` per mobile, sends it as a bearer
 * token, and on a 401 logs in again once and repeats the call. Concurrent calls for one mobile
 * share one login.
 */
import { FailureCategory, IntegrationError } from '../resilience/errors.js';
import { Card91ErrorCode, isUnauthorized } from './errors.js';
import { mobileSchema } from './request-schemas.js';
import { customerDetailSchema } from './response-schemas.js';
import type { CustomerDetail } from './response-schemas.js';
import { CustomerTokenCache } from './token-cache.js';
import type { Answer, Card91Transport, CallOptions, RequestSpec } from './transport.js';
import { parsedBody, validated } from './validation.js';

export const LOGIN_PATH = '/mctc/v1/customer/login/token';

export interface Session {
  token: string;
  customer: CustomerDetail;
}

export interface CustomerSessionsOptions {
  orgId: string;
  transport: Card91Transport;
  /** Mints our app's sdkAuthToken for a login; Card91 has our auth-URL webhook verify it. */
  sdkAuthTokenProvider: (mobile: string) => Promise<string>;
  /** Lifetime assumed for customer tokens without a readable expiry (Card91 documents none). */
  defaultTokenTtlMs: number;
}

export class CustomerSessions {
  private readonly tokens: CustomerTokenCache;
  /** One login in flight per customer: concurrent calls for the same mobile share it. */
  private readonly pendingLogins = new Map<string, Promise<Session>>();

  constructor(private readonly options: CustomerSessionsOptions) {
    this.tokens = new CustomerTokenCache({ defaultTtlMs: options.defaultTokenTtlMs });
  }

  /** Runs a bearer call; on a 401 logs in again once and repeats it (the 401 proves nothing was done). */
  async authorized(mobile: string, spec: RequestSpec, options: CallOptions): Promise<Answer> {
    validated(spec.method, mobileSchema, mobile);
    const token = this.tokens.get(mobile) ?? (await this.login(mobile, options)).token;
    try {
      return await this.options.transport.execute(spec, token, options);
    } catch (error) {
      if (!isUnauthorized(error)) throw error;
      this.tokens.invalidate(mobile, token);
    }
    const fresh = await this.login(mobile, options);
    try {
      return await this.options.transport.execute(spec, fresh.token, options);
    } catch (error) {
      if (isUnauthorized(error)) this.tokens.invalidate(mobile, fresh.token);
      throw error;
    }
  }

  /** A fresh login, shared with any other caller logging the same customer in right now. */
  login(mobile: string, options: CallOptions): Promise<Session> {
    const pending = this.pendingLogins.get(mobile);
    if (pending) return pending;
    const session = this.performLogin(mobile, options).finally(() => this.pendingLogins.delete(mobile));
    this.pendingLogins.set(mobile, session);
    return session;
  }

  private async performLogin(mobile: string, options: CallOptions): Promise<Session> {
    const method = 'loginWithToken';
    // The login changes no card state and a repeat just issues another token: retried like a read,
    // each attempt with a token of its own (our auth webhook accepts a token once, and Card91 may
    // have presented the first one before its answer was lost).
    const body = async () => ({ mobile, sdkAuthToken: await this.mintSdkAuthToken(method, mobile), orgId: this.options.orgId });
    const answer = await this.options.transport.execute({ method, kind: 'read', httpMethod: 'POST', path: LOGIN_PATH, bodyPerAttempt: body }, undefined, options);
    const token = answer.headers.get('jwt_token')?.trim();
    if (token === undefined || token === '') {
      throw new IntegrationError({
        category: FailureCategory.Permanent,
        code: Card91ErrorCode.LoginTokenMissing,
        message: `Card91 ${method} answered HTTP ${answer.status} without a Jwt_token header (${Card91ErrorCode.LoginTokenMissing})`,
        status: answer.status,
      });
    }
    const customer = parsedBody(method, answer, customerDetailSchema);
    this.tokens.set(mobile, token);
    return { token, customer };
  }

  private async mintSdkAuthToken(method: string, mobile: string): Promise<string> {
    try {
      return await this.options.sdkAuthTokenProvider(mobile);
    } catch (cause) {
      throw new IntegrationError({
        category: FailureCategory.Transient,
        code: Card91ErrorCode.SdkAuthTokenUnavailable,
        message: `Card91 ${method}: sdkAuthToken could not be minted (${Card91ErrorCode.SdkAuthTokenUnavailable})`,
        cause,
      });
    }
  }
}

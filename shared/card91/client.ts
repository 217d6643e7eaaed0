/**
 * Client for Card91's MCTC customer-service API, the ten methods of
 * shared/reference/card91-customer-api.md.
 *
 * The API is customer-scoped: callers name the customer by mobile; the client logs in on demand
 * (M1 with our sdkAuthToken), caches the `Jwt_token` per mobile, sends it as a bearer token, and on
 * a 401 logs in again once and repeats the call.
 *
 * Resilience (DESIGN §2): each HTTP attempt runs inside the optional circuit breaker, and attempts
 * are repeated by `withRetry` for transient faults only. Reads (and the login, which changes no
 * card) retry on 5xx/429/network/timeout. Writes (M6, M7, M8) retry only on answers that prove
 * nothing happened (429, 503); a timeout, a dropped connection or another 5xx on a write is an
 * UnknownOutcome: it is not retried, and the caller reconciles by reading the card's settings or
 * state before deciding anything.
 *
 * The client never logs. Errors carry method, status and code only: no bodies, no mobile.
 */
import type { DependencyBreaker } from '../resilience/breaker.js';
import { FailureCategory, IntegrationError } from '../resilience/errors.js';
import { DEFAULT_RETRY, withRetry } from '../resilience/retry.js';
import type { RetryOptions } from '../resilience/retry.js';
import type { CallKind } from './errors.js';
import {
  Card91ErrorCode,
  classifyHttpStatus,
  classifyTransportFailure,
  invalidRequestError,
  isUnauthorized,
  responseSchemaError,
} from './errors.js';
import { exactJsonNumber } from '../json/exact-numbers.js';
import { parseCard91Json } from './json-codec.js';
import { paginate } from './paging.js';
import {
  blockCardRequestSchema,
  cardLoadPageSchema,
  cardLockRequestSchema,
  cardSettingsSchema,
  currencyBalancesSchema,
  customerDetailSchema,
  mobileSchema,
  pageRequestSchema,
  platformIdSchema,
  setCardSettingsRequestSchema,
  transactionPageSchema,
  tripListSchema,
} from './schemas.js';
import type {
  BlockReason,
  CardLimitInput,
  CardLoad,
  CardLoadPage,
  CardLockStatus,
  CardSettings,
  CurrencyBalances,
  CustomerDetail,
  PageRequest,
  SetCardSettingsRequest,
  Transaction,
  TransactionPage,
  Trip,
} from './schemas.js';
import { CustomerTokenCache } from './token-cache.js';
import type * as z from 'zod';

export interface Card91CallInfo {
  /** The client method, e.g. `blockCard` (login attempts report `loginWithToken`). */
  method: string;
  status: number | 'network' | 'timeout';
  durationMs: number;
}

export interface Card91ClientOptions {
  /** Environment base URL handed out by Card91 (PRODUCTION or PROD SANDBOX); may include a path prefix. */
  baseUrl: string;
  orgId: string;
  /** Mints our app's sdkAuthToken for a login; Card91 has our auth-URL webhook verify it. */
  sdkAuthTokenProvider: (mobile: string) => Promise<string>;
  /** Per HTTP attempt, headers and body included. */
  timeoutMs?: number;
  retry?: RetryOptions;
  breaker?: DependencyBreaker;
  fetch?: typeof fetch;
  /** Called once per HTTP attempt (metrics). Must not throw. */
  onCall?: (info: Card91CallInfo) => void;
  /** Lifetime assumed for customer tokens without a readable expiry (Card91 documents none). */
  defaultTokenTtlMs?: number;
}

export interface CallOptions {
  /** Epoch ms after which no retry starts, e.g. the Lambda's remaining time less a margin. */
  deadline?: number;
}

export interface AccountPageQuery extends PageRequest {
  accountId: string;
}

export interface TripQuery extends PageRequest {
  /** `CUST…`, from CustomerDetail.id. */
  customerId: string;
}

export const DEFAULT_TIMEOUT_MS = 5_000;
export const DEFAULT_TOKEN_TTL_MS = 10 * 60_000;

const PATH = {
  login: '/mctc/v1/customer/login/token',
  customerDetail: '/mctc/v1/customer/details',
  currencyBalance: '/mctc/v1/customer/currency/balance',
  transactions: '/mctc/v1/customer/transactions/list',
  cardLimits: (cardId: string) => `/mctc/v1/customer/limits/CARD/${encodeURIComponent(cardId)}`,
  setLimits: '/mctc/v1/customer/limits/add',
  cardStatus: (cardId: string) => `/mctc/v1/customer/card/${encodeURIComponent(cardId)}/status`,
  cardLoads: '/mctc/v1/cards/cardLoad/list',
  trips: (customerId: string, orgId: string) =>
    `/mctc/v1/customer/trip/${encodeURIComponent(customerId)}/${encodeURIComponent(orgId)}`,
} as const;

interface RequestSpec {
  /** Client method name: in metrics and error messages. */
  method: string;
  kind: CallKind;
  httpMethod: 'GET' | 'POST' | 'PUT';
  path: string;
  query?: Record<string, string | number>;
  body?: unknown;
}

interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

interface Session {
  token: string;
  customer: CustomerDetail;
}

const isTimeoutError = (error: unknown): boolean =>
  error instanceof Error && (error.name === 'TimeoutError' || (error.cause instanceof Error && error.cause.name === 'TimeoutError'));

const issuePaths = (error: z.ZodError): string[] => error.issues.map((issue) => issue.path.join('.') || '(root)');

function validated<S extends z.ZodType>(method: string, schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalidRequestError(method, issuePaths(parsed.error));
  return parsed.data;
}

function parsedBody<S extends z.ZodType>(method: string, answer: Answer, schema: S): z.output<S> {
  let json: unknown;
  try {
    json = parseCard91Json(answer.text);
  } catch {
    throw responseSchemaError(method, answer.status, []);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw responseSchemaError(method, answer.status, issuePaths(parsed.error));
  return parsed.data;
}

/** M6 limits go out as JSON numbers (the table says int, responses show decimals), written digit for digit. */
const wireLimits = (request: SetCardSettingsRequest) => ({
  ...request,
  limits: request.limits.map((limit) => ({
    ...limit,
    perAtmTxnLimit: exactJsonNumber(limit.perAtmTxnLimit),
    perOnlineTxnLimit: exactJsonNumber(limit.perOnlineTxnLimit),
    perPosTxnLimit: exactJsonNumber(limit.perPosTxnLimit),
    perContactlessTxnLimit: exactJsonNumber(limit.perContactlessTxnLimit),
  })),
});

export class Card91Client {
  private readonly baseUrl: string;
  private readonly orgId: string;
  private readonly sdkAuthTokenProvider: (mobile: string) => Promise<string>;
  private readonly timeoutMs: number;
  private readonly retry: RetryOptions;
  private readonly breaker: DependencyBreaker | undefined;
  private readonly fetchImpl: typeof fetch;
  private readonly onCall: ((info: Card91CallInfo) => void) | undefined;
  private readonly tokens: CustomerTokenCache;
  /** One login in flight per customer: concurrent calls for the same mobile share it. */
  private readonly pendingLogins = new Map<string, Promise<Session>>();

  constructor(options: Card91ClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    if (!platformIdSchema.safeParse(options.orgId).success) throw new RangeError('orgId must be a Card91 org id (OID…)');
    this.orgId = options.orgId;
    this.sdkAuthTokenProvider = options.sdkAuthTokenProvider;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.breaker = options.breaker;
    this.fetchImpl = options.fetch ?? globalThis.fetch;
    this.onCall = options.onCall;
    this.tokens = new CustomerTokenCache({ defaultTtlMs: options.defaultTokenTtlMs ?? DEFAULT_TOKEN_TTL_MS });
  }

  // ---- M1 / M2: customer ------------------------------------------------------------------

  /** M1. Logs the customer in (always a fresh login), caches the token, returns the profile. */
  async loginWithToken(mobile: string, options: CallOptions = {}): Promise<CustomerDetail> {
    validated('loginWithToken', mobileSchema, mobile);
    return (await this.login(mobile, options)).customer;
  }

  /** M2. Re-reads the customer's profile (same shape as M1). */
  async getCustomerDetail(mobile: string, options: CallOptions = {}): Promise<CustomerDetail> {
    const method = 'getCustomerDetail';
    const answer = await this.authorized(mobile, { method, kind: 'read', httpMethod: 'GET', path: PATH.customerDetail, query: { orgId: this.orgId } }, options);
    return parsedBody(method, answer, customerDetailSchema);
  }

  // ---- M3 / M4 / M9: account ----------------------------------------------------------------

  /** M3. Balances per currency of an account (`accountId` exactly as in CardProgram.accountId). */
  async getCurrencyBalances(mobile: string, accountId: string, options: CallOptions = {}): Promise<CurrencyBalances> {
    const method = 'getCurrencyBalances';
    const query = { accountId: validated(method, platformIdSchema, accountId) };
    const answer = await this.authorized(mobile, { method, kind: 'read', httpMethod: 'GET', path: PATH.currencyBalance, query }, options);
    return parsedBody(method, answer, currencyBalancesSchema);
  }

  /** M4. One page of the account's transactions. */
  async getTransactions(mobile: string, query: AccountPageQuery, options: CallOptions = {}): Promise<TransactionPage> {
    const method = 'getTransactions';
    const answer = await this.authorized(mobile, { method, kind: 'read', httpMethod: 'GET', path: PATH.transactions, query: this.accountPageQuery(method, query) }, options);
    return parsedBody(method, answer, transactionPageSchema);
  }

  /** M4, every page in turn until `totalPages`. */
  iterateTransactions(mobile: string, query: Omit<AccountPageQuery, 'page'>, options: CallOptions = {}): AsyncGenerator<Transaction, void, undefined> {
    return paginate(async (page) => {
      const result = await this.getTransactions(mobile, { ...query, page }, options);
      return { items: result.transactions, totalPages: result.totalPages };
    });
  }

  /** M9. One page of the account's loads, reloads and encashments (note the `/cards/` prefix). */
  async getCardLoadHistory(mobile: string, query: AccountPageQuery, options: CallOptions = {}): Promise<CardLoadPage> {
    const method = 'getCardLoadHistory';
    const answer = await this.authorized(mobile, { method, kind: 'read', httpMethod: 'GET', path: PATH.cardLoads, query: this.accountPageQuery(method, query) }, options);
    return parsedBody(method, answer, cardLoadPageSchema);
  }

  /** M9, every page in turn until `totalPages`. */
  iterateCardLoads(mobile: string, query: Omit<AccountPageQuery, 'page'>, options: CallOptions = {}): AsyncGenerator<CardLoad, void, undefined> {
    return paginate(async (page) => {
      const result = await this.getCardLoadHistory(mobile, { ...query, page }, options);
      return { items: result.cardLoadList, totalPages: result.totalPages };
    });
  }

  // ---- M5–M8: card ------------------------------------------------------------------------

  /** M5. Per-currency limits and channel switches of a card, with the program's `maxPer*` ceilings. */
  async getCardSettings(mobile: string, cardId: string, options: CallOptions = {}): Promise<CardSettings> {
    const method = 'getCardSettings';
    const path = PATH.cardLimits(validated(method, platformIdSchema, cardId));
    const answer = await this.authorized(mobile, { method, kind: 'read', httpMethod: 'GET', path }, options);
    return parsedBody(method, answer, cardSettingsSchema);
  }

  /**
   * M6. Sets limits for one or more currencies. Resolves when Card91 accepted the change; its
   * response body is not an echo of the new values (reference §M6), so re-read with
   * getCardSettings when the result matters.
   */
  async setCardSettings(mobile: string, cardId: string, limits: readonly CardLimitInput[], options: CallOptions = {}): Promise<void> {
    const method = 'setCardSettings';
    const request = validated(method, setCardSettingsRequestSchema, { entityType: 'CARD', entityId: cardId, limits });
    await this.authorized(mobile, { method, kind: 'write', httpMethod: 'POST', path: PATH.setLimits, body: wireLimits(request) }, options);
  }

  /** M7. Blocks the card permanently. The response body is undocumented, so only the 2xx matters. */
  async blockCard(mobile: string, cardId: string, reason: BlockReason, options: CallOptions = {}): Promise<void> {
    const method = 'blockCard';
    const path = PATH.cardStatus(validated(method, platformIdSchema, cardId));
    const body = validated(method, blockCardRequestSchema, { status: 'BLOCKED', blockedReason: reason });
    await this.authorized(mobile, { method, kind: 'write', httpMethod: 'PUT', path, body }, options);
  }

  /** M8. Freezes (`LOCKED`) or unfreezes (`UNLOCKED`) the card; Card91 refuses it for a blocked card. */
  async setCardLock(mobile: string, cardId: string, status: CardLockStatus, options: CallOptions = {}): Promise<void> {
    const method = 'setCardLock';
    const path = PATH.cardStatus(validated(method, platformIdSchema, cardId));
    const body = validated(method, cardLockRequestSchema, { status });
    await this.authorized(mobile, { method, kind: 'write', httpMethod: 'PUT', path, body }, options);
  }

  // ---- M10: trips -------------------------------------------------------------------------

  /** M10. One page of the customer's trips (a bare array: no paging metadata, so no iterator). */
  async getTrips(mobile: string, query: TripQuery, options: CallOptions = {}): Promise<Trip[]> {
    const method = 'getTrips';
    const customerId = validated(method, platformIdSchema, query.customerId);
    const { page, perPage } = validated(method, pageRequestSchema, { page: query.page, perPage: query.perPage });
    const answer = await this.authorized(
      mobile,
      { method, kind: 'read', httpMethod: 'GET', path: PATH.trips(customerId, this.orgId), query: { page, perPage } },
      options,
    );
    return parsedBody(method, answer, tripListSchema);
  }

  // ---- session ----------------------------------------------------------------------------

  private accountPageQuery(method: string, query: AccountPageQuery): Record<string, string | number> {
    const accountId = validated(method, platformIdSchema, query.accountId);
    const { page, perPage } = validated(method, pageRequestSchema, { page: query.page, perPage: query.perPage });
    return { accountId, page, perPage };
  }

  /** Runs a bearer call; on a 401 logs in again once and repeats it (the 401 proves nothing was done). */
  private async authorized(mobile: string, spec: RequestSpec, options: CallOptions): Promise<Answer> {
    validated(spec.method, mobileSchema, mobile);
    const token = this.tokens.get(mobile) ?? (await this.login(mobile, options)).token;
    try {
      return await this.execute(spec, token, options);
    } catch (error) {
      if (!isUnauthorized(error)) throw error;
      this.tokens.invalidate(mobile, token);
    }
    const fresh = await this.login(mobile, options);
    try {
      return await this.execute(spec, fresh.token, options);
    } catch (error) {
      if (isUnauthorized(error)) this.tokens.invalidate(mobile, fresh.token);
      throw error;
    }
  }

  private login(mobile: string, options: CallOptions): Promise<Session> {
    const pending = this.pendingLogins.get(mobile);
    if (pending) return pending;
    const session = this.performLogin(mobile, options).finally(() => this.pendingLogins.delete(mobile));
    this.pendingLogins.set(mobile, session);
    return session;
  }

  private async performLogin(mobile: string, options: CallOptions): Promise<Session> {
    const method = 'loginWithToken';
    let sdkAuthToken: string;
    try {
      sdkAuthToken = await this.sdkAuthTokenProvider(mobile);
    } catch (cause) {
      throw new IntegrationError({
        category: FailureCategory.Transient,
        code: Card91ErrorCode.SdkAuthTokenUnavailable,
        message: `Card91 ${method}: sdkAuthToken could not be minted (${Card91ErrorCode.SdkAuthTokenUnavailable})`,
        cause,
      });
    }
    // The login changes no card state and a repeat just issues another token: retried like a read.
    const answer = await this.execute(
      { method, kind: 'read', httpMethod: 'POST', path: PATH.login, body: { mobile, sdkAuthToken, orgId: this.orgId } },
      undefined,
      options,
    );
    const token = answer.headers.get('jwt_token');
    if (token === null || token.trim() === '') {
      throw new IntegrationError({
        category: FailureCategory.Permanent,
        code: Card91ErrorCode.LoginTokenMissing,
        message: `Card91 ${method} answered HTTP ${answer.status} without a Jwt_token header (${Card91ErrorCode.LoginTokenMissing})`,
        status: answer.status,
      });
    }
    const customer = parsedBody(method, answer, customerDetailSchema);
    this.tokens.set(mobile, token.trim());
    return { token: token.trim(), customer };
  }

  // ---- transport --------------------------------------------------------------------------

  private execute(spec: RequestSpec, token: string | undefined, options: CallOptions): Promise<Answer> {
    const attempt = () => (this.breaker ? this.breaker.execute(() => this.attemptOnce(spec, token)) : this.attemptOnce(spec, token));
    return withRetry(attempt, options.deadline === undefined ? this.retry : { ...this.retry, deadline: options.deadline });
  }

  /** One HTTP exchange; every non-2xx and every transport failure leaves as a classified IntegrationError. */
  private async attemptOnce(spec: RequestSpec, token: string | undefined): Promise<Answer> {
    const url = new URL(this.baseUrl + spec.path);
    for (const [name, value] of Object.entries(spec.query ?? {})) url.searchParams.set(name, String(value));
    const headers: Record<string, string> = { accept: 'application/json' };
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    // Card91 answers 415 when a body arrives without its content type (reference §1.4).
    if (spec.body !== undefined) headers['content-type'] = 'application/json';

    const started = performance.now();
    let response: Response;
    let text: string;
    try {
      response = await this.fetchImpl(url, {
        method: spec.httpMethod,
        headers,
        body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
        // A redirect would carry the bearer token somewhere unplanned; treat it as an error answer.
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      const timedOut = isTimeoutError(error);
      this.report(spec.method, timedOut ? 'timeout' : 'network', started);
      throw classifyTransportFailure(spec.method, spec.kind, timedOut, error);
    }
    this.report(spec.method, response.status, started);
    if (response.status < 200 || response.status > 299) {
      throw classifyHttpStatus(spec.method, response.status, spec.kind, response.headers.get('retry-after'));
    }
    return { status: response.status, headers: response.headers, text };
  }

  private report(method: string, status: Card91CallInfo['status'], started: number): void {
    if (this.onCall === undefined) return;
    try {
      this.onCall({ method, status, durationMs: Math.round(performance.now() - started) });
    } catch {
      // Metrics must never change the outcome of a card operation.
    }
  }
}

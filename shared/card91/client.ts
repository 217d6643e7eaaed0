/**
 * Client for Card91's MCTC customer-service API, the ten methods of docs/reference/card91.md §3.
 *
 * The API is customer-scoped: callers name the customer by mobile, and customer-session.ts logs in
 * on demand and repeats a call once after a 401.
 *
 * Resilience (docs/architecture.md §2): transport.ts runs each HTTP attempt inside the optional
 * circuit breaker and repeats attempts for transient faults only. Reads (and the login, which
 * changes no card) retry on 5xx/429/network/timeout. Writes (M6, M7, M8) retry only on answers that
 * prove nothing happened (429, 503); a timeout, a dropped connection or another 5xx on a write is an
 * UnknownOutcome: it is not retried, and the caller reconciles by reading the card's settings or
 * state before deciding anything.
 *
 * The client never logs. Errors carry method, status and code only: no bodies, no mobile.
 */
import type { DependencyBreaker } from '../resilience/breaker.js';
import { DEFAULT_RETRY } from '../resilience/retry.js';
import type { RetryOptions } from '../resilience/retry.js';
import { exactJsonNumber } from '../json/exact-numbers.js';
import { CustomerSessions } from './customer-session.js';
import { paginate } from './paging.js';
import { blockCardRequestSchema, cardLockRequestSchema, mobileSchema, pageRequestSchema, platformIdSchema, setCardSettingsRequestSchema } from './request-schemas.js';
import type { BlockReason, CardLimitInput, CardLockStatus, PageRequest, SetCardSettingsRequest } from './request-schemas.js';
import { cardLoadPageSchema, cardSettingsSchema, currencyBalancesSchema, customerDetailSchema, transactionPageSchema, tripListSchema } from './response-schemas.js';
import type { CardLoad, CardLoadPage, CardSettings, CurrencyBalances, CustomerDetail, Transaction, TransactionPage, Trip } from './response-schemas.js';
import { Card91Transport } from './transport.js';
import type { Answer, Card91CallInfo, CallOptions, RequestSpec } from './transport.js';
import { parsedBody, validated } from './validation.js';

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
  customerDetail: '/mctc/v1/customer/details',
  currencyBalance: '/mctc/v1/customer/currency/balance',
  transactions: '/mctc/v1/customer/transactions/list',
  cardLimits: (cardId: string) => `/mctc/v1/customer/limits/CARD/${encodeURIComponent(cardId)}`,
  setLimits: '/mctc/v1/customer/limits/add',
  cardStatus: (cardId: string) => `/mctc/v1/customer/card/${encodeURIComponent(cardId)}/status`,
  cardLoads: '/mctc/v1/cards/cardLoad/list',
  trips: (customerId: string, orgId: string) => `/mctc/v1/customer/trip/${encodeURIComponent(customerId)}/${encodeURIComponent(orgId)}`,
} as const;

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
  private readonly orgId: string;
  private readonly sessions: CustomerSessions;

  constructor(options: Card91ClientOptions) {
    if (!platformIdSchema.safeParse(options.orgId).success) throw new RangeError('orgId must be a Card91 org id (OID…)');
    this.orgId = options.orgId;
    const transport = new Card91Transport({
      baseUrl: options.baseUrl.replace(/\/+$/, ''),
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      retry: options.retry ?? DEFAULT_RETRY,
      breaker: options.breaker,
      fetch: options.fetch ?? globalThis.fetch,
      onCall: options.onCall,
    });
    this.sessions = new CustomerSessions({
      orgId: options.orgId,
      transport,
      sdkAuthTokenProvider: options.sdkAuthTokenProvider,
      defaultTokenTtlMs: options.defaultTokenTtlMs ?? DEFAULT_TOKEN_TTL_MS,
    });
  }

  // ---- M1 / M2: customer ------------------------------------------------------------------

  /** M1. Logs the customer in (always a fresh login), caches the token, returns the profile. */
  async loginWithToken(mobile: string, options: CallOptions = {}): Promise<CustomerDetail> {
    validated('loginWithToken', mobileSchema, mobile);
    return (await this.sessions.login(mobile, options)).customer;
  }

  /** M2. Re-reads the customer's profile (same shape as M1). */
  async getCustomerDetail(mobile: string, options: CallOptions = {}): Promise<CustomerDetail> {
    const method = 'getCustomerDetail';
    const answer = await this.read(mobile, { method, path: PATH.customerDetail, query: { orgId: this.orgId } }, options);
    return parsedBody(method, answer, customerDetailSchema);
  }

  // ---- M3 / M4 / M9: account ----------------------------------------------------------------

  /** M3. Balances per currency of an account (`accountId` exactly as in CardProgram.accountId). */
  async getCurrencyBalances(mobile: string, accountId: string, options: CallOptions = {}): Promise<CurrencyBalances> {
    const method = 'getCurrencyBalances';
    const query = { accountId: validated(method, platformIdSchema, accountId) };
    const answer = await this.read(mobile, { method, path: PATH.currencyBalance, query }, options);
    return parsedBody(method, answer, currencyBalancesSchema);
  }

  /** M4. One page of the account's transactions. */
  async getTransactions(mobile: string, query: AccountPageQuery, options: CallOptions = {}): Promise<TransactionPage> {
    const method = 'getTransactions';
    const answer = await this.read(mobile, { method, path: PATH.transactions, query: accountPageQuery(method, query) }, options);
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
    const answer = await this.read(mobile, { method, path: PATH.cardLoads, query: accountPageQuery(method, query) }, options);
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
    const answer = await this.read(mobile, { method, path: PATH.cardLimits(validated(method, platformIdSchema, cardId)) }, options);
    return parsedBody(method, answer, cardSettingsSchema);
  }

  /**
   * M6. Sets limits for one or more currencies. Resolves when Card91 accepted the change; its
   * response body is not an echo of the new values (docs/reference/card91.md §3 M6), so re-read
   * with getCardSettings when the result matters.
   */
  async setCardSettings(mobile: string, cardId: string, limits: readonly CardLimitInput[], options: CallOptions = {}): Promise<void> {
    const method = 'setCardSettings';
    const request = validated(method, setCardSettingsRequestSchema, { entityType: 'CARD', entityId: cardId, limits });
    await this.write(mobile, { method, httpMethod: 'POST', path: PATH.setLimits, body: wireLimits(request) }, options);
  }

  /** M7. Blocks the card permanently. The response body is undocumented, so only the 2xx matters. */
  async blockCard(mobile: string, cardId: string, reason: BlockReason, options: CallOptions = {}): Promise<void> {
    const method = 'blockCard';
    const path = PATH.cardStatus(validated(method, platformIdSchema, cardId));
    const body = validated(method, blockCardRequestSchema, { status: 'BLOCKED', blockedReason: reason });
    await this.write(mobile, { method, httpMethod: 'PUT', path, body }, options);
  }

  /** M8. Freezes (`LOCKED`) or unfreezes (`UNLOCKED`) the card; Card91 refuses it for a blocked card. */
  async setCardLock(mobile: string, cardId: string, status: CardLockStatus, options: CallOptions = {}): Promise<void> {
    const method = 'setCardLock';
    const path = PATH.cardStatus(validated(method, platformIdSchema, cardId));
    const body = validated(method, cardLockRequestSchema, { status });
    await this.write(mobile, { method, httpMethod: 'PUT', path, body }, options);
  }

  // ---- M10: trips -------------------------------------------------------------------------

  /** M10. One page of the customer's trips (a bare array: no paging metadata, so no iterator). */
  async getTrips(mobile: string, query: TripQuery, options: CallOptions = {}): Promise<Trip[]> {
    const method = 'getTrips';
    const customerId = validated(method, platformIdSchema, query.customerId);
    const { page, perPage } = validated(method, pageRequestSchema, { page: query.page, perPage: query.perPage });
    const answer = await this.read(mobile, { method, path: PATH.trips(customerId, this.orgId), query: { page, perPage } }, options);
    return parsedBody(method, answer, tripListSchema);
  }

  // ---- calls ------------------------------------------------------------------------------

  private read(mobile: string, spec: Pick<RequestSpec, 'method' | 'path' | 'query'>, options: CallOptions): Promise<Answer> {
    return this.sessions.authorized(mobile, { ...spec, kind: 'read', httpMethod: 'GET' }, options);
  }

  private write(mobile: string, spec: Pick<RequestSpec, 'method' | 'httpMethod' | 'path' | 'body'>, options: CallOptions): Promise<Answer> {
    return this.sessions.authorized(mobile, { ...spec, kind: 'write' }, options);
  }
}

function accountPageQuery(method: string, query: AccountPageQuery): Record<string, string | number> {
  const accountId = validated(method, platformIdSchema, query.accountId);
  const { page, perPage } = validated(method, pageRequestSchema, { page: query.page, perPage: query.perPage });
  return { accountId, page, perPage };
}

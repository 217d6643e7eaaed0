import type * as z from 'zod';
import type { DependencyBreaker } from '../resilience/breaker.js';
import { FailureCategory, IntegrationError } from '../resilience/errors.js';
import type { TenantRateLimiter } from '../resilience/tenant-rate-limiter.js';
import { DEFAULT_RETRY, withRetry, type RetryOptions } from '../resilience/retry.js';
import { DcmsTokenCache, type DcmsCredentials } from './auth.js';
import { fromException, fromStatus, fromTransport, isCustomerNotFound, parseRetryAfter, unreadableAnswer, type DcmsOperation } from './classify.js';
import { parseDcmsJson, stringifyDcmsJson } from './json-codec.js';
import {
  customerView,
  dcmsEnvelope,
  entityKits,
  deliveryResults,
  registrationResult,
  type CustomerView,
  type DcmsKit,
  type DeliveryStatusRequest,
  type KitDeliveryResult,
  type RegisterCardRequest,
  type RegisterCustomerRequest,
  type RegistrationResult,
} from './schemas.js';

const PATHS: Record<DcmsOperation, string> = {
  register: '/register',
  registerCard: '/registerCard',
  deliveryStatus: '/inventory/update/deliveryStatus',
  viewCustomer: '/viewCustomer',
  fetchKits: '/kit-manager/fetchKitsByEntityId',
  authenticate: '/api/authenticate',
};

/** Client-side timeouts recommended by docs/reference/dcms.md §2: CBS operations 15 s, transactions 10 s, reads 5 s. */
export const DEFAULT_TIMEOUTS_MS: Record<DcmsOperation, number> = {
  register: 15_000,
  registerCard: 15_000,
  deliveryStatus: 10_000,
  viewCustomer: 5_000,
  fetchKits: 5_000,
  authenticate: 5_000,
};

export interface DcmsCallInfo {
  operation: DcmsOperation;
  tenant: string;
  /** HTTP status with the envelope's errorCode when there is one (`200`, `400:CUS001`), or TIMEOUT / NETWORK. */
  outcome: string;
  durationMs: number;
}

export interface DcmsClientOptions {
  baseUrl: string;
  /** When set, every call carries a bearer token from `/api/authenticate` (docs/reference/dcms.md §1.1). */
  credentials?: (tenant: string) => Promise<DcmsCredentials | undefined>;
  timeoutsMs?: Partial<Record<DcmsOperation, number>>;
  retry?: RetryOptions;
  breaker?: DependencyBreaker;
  /** The tenant's DCMS budget, fleet-wide (shared/resilience/fleet-rate-limiter.ts). */
  limiter?: TenantRateLimiter;
  fetch?: typeof fetch;
  onCall?: (info: DcmsCallInfo) => void;
}

export interface CallOptions {
  /** Epoch ms after which no attempt starts and no attempt runs (the Lambda's remaining time). */
  deadline?: number;
  /**
   * A request id derived from the business key, in the header the tenant's DCMS onboarding named
   * (M2P asks for a requestId on card issuance but documents no place for it): defence in depth
   * against a repeated write, never what exactly-once relies on.
   */
  requestId?: { header: string; value: string };
}

/**
 * M2P DCMS over HTTP. Every answer goes through the envelope: an `exception` inside an HTTP 200
 * is an error. Failures leave as IntegrationErrors of the one taxonomy; transient ones are retried
 * here, unknown outcomes of writes are not (the caller reconciles with viewCustomer first).
 */
export class DcmsClient {
  private readonly fetchImpl: typeof fetch;
  private readonly tokens: DcmsTokenCache | undefined;

  constructor(private readonly options: DcmsClientOptions) {
    this.fetchImpl = options.fetch ?? fetch;
    const credentials = options.credentials;
    this.tokens = credentials && new DcmsTokenCache((tenant) => this.authenticate(tenant, credentials));
  }

  async register(tenant: string, request: RegisterCustomerRequest, call?: CallOptions): Promise<RegistrationResult> {
    return this.send('register', tenant, request, registrationResult, call);
  }

  async registerCard(tenant: string, request: RegisterCardRequest, call?: CallOptions): Promise<RegistrationResult> {
    return this.send('registerCard', tenant, request, registrationResult, call);
  }

  /** Every kit of the customer, in any status, each with its account number; null when DCMS does not know the entity. */
  async fetchKitsByEntityId(tenant: string, entityId: string, call?: CallOptions): Promise<DcmsKit[] | null> {
    return this.orNullWhenUnknown(this.send('fetchKits', tenant, { entityId }, entityKits, call));
  }

  /** Per-kit results, item by item; a failed kit is in the list, not thrown. */
  async updateDeliveryStatus(tenant: string, request: DeliveryStatusRequest, call?: CallOptions): Promise<KitDeliveryResult[]> {
    return this.send('deliveryStatus', tenant, request, deliveryResults, call);
  }

  /** The customer with accounts and kits, or null when DCMS does not know the entity. */
  async viewCustomer(tenant: string, entityId: string, call?: CallOptions): Promise<CustomerView | null> {
    return this.orNullWhenUnknown(this.send('viewCustomer', tenant, { entityId }, customerView, call));
  }

  private async orNullWhenUnknown<T>(read: Promise<T>): Promise<T | null> {
    try {
      return await read;
    } catch (error) {
      if (error instanceof IntegrationError && error.category === FailureCategory.Permanent && isCustomerNotFound(error.code)) return null;
      throw error;
    }
  }

  private async send<S extends z.ZodType>(operation: DcmsOperation, tenant: string, body: unknown, schema: S, call: CallOptions = {}): Promise<z.infer<S>> {
    const retry = { ...(this.options.retry ?? DEFAULT_RETRY), ...(call.deadline === undefined ? {} : { deadline: call.deadline }) };
    // Starting a write that cannot finish before the Lambda ends would only manufacture an unknown outcome.
    if (call.deadline !== undefined && call.deadline - Date.now() < (retry.minAttemptMs ?? 0)) {
      throw new IntegrationError({ category: FailureCategory.Transient, code: 'DEADLINE', message: `DCMS ${operation}: not started, too little of the invocation left` });
    }
    return withRetry(async () => {
      // Never wait for a token past the point where the call itself could no longer be made.
      await this.options.limiter?.acquire(tenant, { ...(call.deadline !== undefined && { deadline: call.deadline - (retry.minAttemptMs ?? 0) }) });
      const attempt = () => this.attempt(operation, tenant, body, call);
      const envelopeResult = await (this.options.breaker ? this.options.breaker.execute(attempt) : attempt());
      const parsed = schema.safeParse(envelopeResult);
      if (!parsed.success) throw unreadableAnswer(operation, 200);
      return parsed.data as z.infer<S>;
    }, retry);
  }

  /** One HTTP exchange; re-authenticates once on 401. Returns the envelope's `result`. */
  private async attempt(operation: DcmsOperation, tenant: string, body: unknown, call: CallOptions, reauthenticated = false): Promise<unknown> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json', tenant };
    if (call.requestId) headers[call.requestId.header.toLowerCase()] = call.requestId.value;
    if (this.tokens) headers.authorization = `Bearer ${await this.tokens.get(tenant)}`;
    const { status, retryAfter, envelope } = await this.exchange(operation, tenant, headers, stringifyDcmsJson(body), call.deadline);
    if (status === 401 && this.tokens && !reauthenticated) {
      this.tokens.invalidate(tenant);
      return this.attempt(operation, tenant, body, call, true);
    }
    if (envelope.success && envelope.data.exception) throw fromException(operation, envelope.data.exception, status, parseRetryAfter(retryAfter));
    if (status < 200 || status >= 300) throw fromStatus(operation, status, parseRetryAfter(retryAfter));
    if (!envelope.success) throw unreadableAnswer(operation, status);
    return envelope.data.result;
  }

  private async exchange(operation: DcmsOperation, tenant: string, headers: Record<string, string>, body: string, deadline: number | undefined) {
    const timeout = this.options.timeoutsMs?.[operation] ?? DEFAULT_TIMEOUTS_MS[operation];
    const budget = deadline === undefined ? timeout : Math.max(1, Math.min(timeout, deadline - Date.now()));
    const started = performance.now();
    let outcome = 'NETWORK';
    try {
      const response = await this.fetchImpl(new URL(PATHS[operation].slice(1), withTrailingSlash(this.options.baseUrl)), {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(budget),
      });
      const json = safeParse(await response.text());
      const envelope = dcmsEnvelope.safeParse(json);
      const code = envelope.success ? envelope.data.exception?.errorCode : undefined;
      outcome = code ? `${response.status}:${code}` : String(response.status);
      return { status: response.status, retryAfter: response.headers.get('retry-after'), json, envelope };
    } catch (error) {
      const failure = fromTransport(operation, error);
      outcome = failure.code;
      throw failure;
    } finally {
      this.options.onCall?.({ operation, tenant, outcome, durationMs: performance.now() - started });
    }
  }

  private async authenticate(tenant: string, credentials: NonNullable<DcmsClientOptions['credentials']>): Promise<string> {
    const secret = await credentials(tenant);
    if (!secret) throw new IntegrationError({ category: FailureCategory.Permanent, code: 'NO_CREDENTIALS', message: `no DCMS credentials for tenant ${tenant}` });
    const { status, json } = await this.exchange('authenticate', tenant, { 'content-type': 'application/json', tenant }, JSON.stringify(secret), undefined);
    if (status !== 200) throw fromStatus('authenticate', status);
    return DcmsTokenCache.parseResponse(json);
  }
}

const withTrailingSlash = (url: string): string => (url.endsWith('/') ? url : `${url}/`);

function safeParse(text: string): unknown {
  try {
    return parseDcmsJson(text);
  } catch {
    return undefined;
  }
}

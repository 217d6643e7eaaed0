/**
 * The ten Card91 MCTC methods (docs/reference/card91.md §3–§4) as the sandbox
 * serves them. Each route is HTTP-agnostic: it reads a RouteContext and returns an answer or
 * throws a SandboxRefusal. Authentication, rate limiting and faults are applied around it by
 * dispatch.ts.
 *
 * Response codes (docs/reference/card91.md §1.4): 400 malformed body or parameter; 401
 * bad/absent token or a login the webhook refused; 403 another customer's card/account; 404 unknown path, card or
 * account; 405 a required parameter sent empty; 415 a body without `Content-Type: application/json`;
 * 429 rate limit; 502 when the auth webhook cannot be reached.
 */
import type * as z from 'zod';
import { cardStatusBody, loginBody, parseRequestJson, setLimitsBody } from './schemas.js';
import type { SeedCardProgram, SeedCustomer } from './seed-data.js';
import { FORBIDDEN_MESSAGE, SandboxRefusal } from './state.js';
import type { SandboxState } from './state.js';
import { cardLoadPageWire, cardSettingsWire, currencyBalancesWire, customerDetailWire, slicePage, transactionPageWire, type PageSlice, tripsWire } from './wire.js';

export interface SandboxAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** What Card91 POSTs to the auth URL (auth-URL page payload; the token travels as `unique_id`). */
export interface AuthWebhookPayload {
  unique_id: string;
  mobile: string;
  sdk: string;
  org_id: string;
  card_prog_id: string | undefined;
}

export type WebhookVerdict = 'accepted' | 'refused' | 'unreachable';

export interface RouteContext {
  state: SandboxState;
  orgId: string;
  params: Record<string, string>;
  query: Record<string, unknown>;
  rawBody: string | undefined;
  contentType: string | undefined;
  /** The authenticated customer; set for every route except login. */
  customer: SeedCustomer | undefined;
  callAuthWebhook: (payload: AuthWebhookPayload) => Promise<WebhookVerdict>;
  issueToken: (customerId: string) => Promise<string>;
}

export interface RouteDefinition {
  httpMethod: 'GET' | 'POST' | 'PUT';
  /** Fastify route pattern. */
  url: string;
  /** Client-facing method name, for stats and fault scripts (M7 and M8 share a route: the body decides). */
  methodName: (rawBody: string | undefined) => string;
  authenticated: boolean;
  handle: (context: RouteContext) => SandboxAnswer | Promise<SandboxAnswer>;
}

const INVALID_REQUEST = 'Invalid request, Please check the request parameters';
const ok = (body: unknown, headers?: Record<string, string>): SandboxAnswer => ({ status: 200, body, headers });

function jsonBody<S extends z.ZodType>(context: RouteContext, schema: S): z.output<S> {
  const mediaType = context.contentType?.split(';')[0]?.trim().toLowerCase();
  if (mediaType !== 'application/json') throw new SandboxRefusal(415, 'Missing header request: Content-Type application/json');
  let json: unknown;
  try {
    json = parseRequestJson(context.rawBody ?? '');
  } catch {
    throw new SandboxRefusal(400, INVALID_REQUEST);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new SandboxRefusal(400, INVALID_REQUEST);
  return parsed.data;
}

/** Absent → 400; present but empty → 405 ("required parameter sent empty", docs/reference/card91.md §1.4). */
function requiredQuery(context: RouteContext, name: string): string {
  const value = context.query[name];
  if (typeof value !== 'string') throw new SandboxRefusal(400, INVALID_REQUEST);
  if (value.trim() === '') throw new SandboxRefusal(405, `Required parameter ${name} is empty`);
  return value;
}

function positiveIntQuery(context: RouteContext, name: string, fallback: number, max: number): number {
  const value = context.query[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !/^\d{1,6}$/.test(value) || Number(value) < 1 || Number(value) > max) {
    throw new SandboxRefusal(400, INVALID_REQUEST);
  }
  return Number(value);
}

const paging = (context: RouteContext) => ({
  page: positiveIntQuery(context, 'page', 1, 1_000_000),
  perPage: positiveIntQuery(context, 'perPage', 10, 100),
});

/** The customer's account the `accountId` query names, and the page of its `items` the paging asks for. */
function accountPage<T>(context: RouteContext, customer: SeedCustomer, items: (account: SeedCardProgram) => readonly T[]): { program: SeedCardProgram; slice: PageSlice<T> } {
  const program = context.state.accountOf(customer, requiredQuery(context, 'accountId'));
  const { page, perPage } = paging(context);
  return { program, slice: slicePage(items(program), page, perPage) };
}

function customerOf(context: RouteContext): SeedCustomer {
  if (context.customer === undefined) throw new SandboxRefusal(401, 'Unauthorized');
  return context.customer;
}

const cardStatusMethodName = (rawBody: string | undefined): string => {
  try {
    const status = (JSON.parse(rawBody ?? '') as { status?: unknown }).status;
    return status === 'BLOCKED' ? 'blockCard' : 'setCardLock';
  } catch {
    return 'setCardLock';
  }
};

const named = (name: string) => () => name;

/** A method of the logged-in customer (all but M1): it acts for the customer the bearer token names. */
const customerRoute = (route: Omit<RouteDefinition, 'authenticated' | 'handle'> & { handle: (context: RouteContext, customer: SeedCustomer) => SandboxAnswer }): RouteDefinition => ({
  ...route,
  authenticated: true,
  handle: (context) => route.handle(context, customerOf(context)),
});

export const CARD91_ROUTES: readonly RouteDefinition[] = [
  {
    // M1: the webhook decides whether the sdkAuthToken is ours to honour.
    httpMethod: 'POST',
    url: '/mctc/v1/customer/login/token',
    methodName: named('loginWithToken'),
    authenticated: false,
    handle: async (context) => {
      const login = jsonBody(context, loginBody);
      if (login.orgId !== context.orgId) throw new SandboxRefusal(400, INVALID_REQUEST);
      const customer = context.state.customerByMobile(login.mobile);
      if (customer === undefined) throw new SandboxRefusal(400, INVALID_REQUEST);
      const verdict = await context.callAuthWebhook({
        unique_id: login.sdkAuthToken,
        mobile: login.mobile,
        sdk: 'ISSUE_CARD',
        org_id: login.orgId,
        card_prog_id: customer.cardPrograms[0]?.id,
      });
      if (verdict === 'unreachable') throw new SandboxRefusal(502, 'Authentication service unavailable');
      if (verdict === 'refused') throw new SandboxRefusal(401, 'Unauthorized');
      return ok(customerDetailWire(customer), { Jwt_token: await context.issueToken(customer.id) });
    },
  },
  // M2
  customerRoute({
    httpMethod: 'GET',
    url: '/mctc/v1/customer/details',
    methodName: named('getCustomerDetail'),
    handle: (context, customer) => {
      if (requiredQuery(context, 'orgId') !== context.orgId) throw new SandboxRefusal(403, FORBIDDEN_MESSAGE);
      return ok(customerDetailWire(customer));
    },
  }),
  // M3
  customerRoute({
    httpMethod: 'GET',
    url: '/mctc/v1/customer/currency/balance',
    methodName: named('getCurrencyBalances'),
    handle: (context, customer) => ok(currencyBalancesWire(context.state.accountOf(customer, requiredQuery(context, 'accountId')))),
  }),
  // M4
  customerRoute({
    httpMethod: 'GET',
    url: '/mctc/v1/customer/transactions/list',
    methodName: named('getTransactions'),
    handle: (context, customer) => {
      const { program, slice } = accountPage(context, customer, (account) => account.transactions);
      return ok(transactionPageWire(customer, program, slice));
    },
  }),
  // M5: `CARD` is a literal segment (the entity type).
  customerRoute({
    httpMethod: 'GET',
    url: '/mctc/v1/customer/limits/CARD/:cardId',
    methodName: named('getCardSettings'),
    handle: (context, customer) => ok(cardSettingsWire(context.state.cardOf(customer, context.params.cardId ?? ''))),
  }),
  // M6: nested limits[]; answers with the card's limits after the change.
  customerRoute({
    httpMethod: 'POST',
    url: '/mctc/v1/customer/limits/add',
    methodName: named('setCardSettings'),
    handle: (context, customer) => {
      const request = jsonBody(context, setLimitsBody);
      return ok(cardSettingsWire(context.state.setCardLimits(customer, request)));
    },
  }),
  // M7 (BLOCKED + reason) and M8 (LOCKED / UNLOCKED) share path and verb.
  customerRoute({
    httpMethod: 'PUT',
    url: '/mctc/v1/customer/card/:cardId/status',
    methodName: cardStatusMethodName,
    handle: (context, customer) => {
      const request = jsonBody(context, cardStatusBody);
      context.state.changeCardStatus(customer, context.params.cardId ?? '', request);
      return ok({ message: 'Card status updated successfully' });
    },
  }),
  // M9: note `/cards/`, not `/customer/`.
  customerRoute({
    httpMethod: 'GET',
    url: '/mctc/v1/cards/cardLoad/list',
    methodName: named('getCardLoadHistory'),
    handle: (context, customer) => {
      const { program, slice } = accountPage(context, customer, (account) => account.cardLoads);
      return ok(cardLoadPageWire(program, slice));
    },
  }),
  // M10: path parameters; a bare array; the org segment does not filter (docs/reference/card91.md §3 M10).
  customerRoute({
    httpMethod: 'GET',
    url: '/mctc/v1/customer/trip/:customerId/:orgId',
    methodName: named('getTrips'),
    handle: (context, customer) => {
      const requested = context.params.customerId ?? '';
      if (requested !== customer.id) {
        throw context.state.customerById(requested) === undefined ? new SandboxRefusal(404, 'Customer not found') : new SandboxRefusal(403, FORBIDDEN_MESSAGE);
      }
      const { page, perPage } = paging(context);
      return ok(tripsWire(customer, slicePage(customer.trips, page, perPage).items));
    },
  }),
];

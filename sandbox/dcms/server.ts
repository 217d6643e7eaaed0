import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { parseDcmsJson } from '../../shared/dcms/json-codec.js';
import { TokenIssuer, type AuthSettings } from './auth.js';
import { internalError, invalidInput } from './dcms-errors.js';
import { DCMS_ENDPOINTS, type DcmsEndpoint } from './endpoints.js';
import { fail, sendDcms, type DcmsResponse } from './envelope.js';
import { FaultInjector, type FaultSettings } from './faults.js';
import { CardFactory } from './issuance.js';
import { Lifecycle } from './lifecycle.js';
import { mountDcmsEndpoint, outcomeOf, type PipelineDeps } from './pipeline.js';
import { STANDARD_TIER, TenantRateLimiter, type RateLimitSettings } from './rate-limit.js';
import { mountAdmin, type SandboxControls } from './routes/admin.js';
import { mountAuthenticate } from './routes/authenticate.js';
import { updateDeliveryStatus } from './routes/delivery-status.js';
import { fetchKitsByAccountNo, fetchKitsByEntityId } from './routes/fetch-kits.js';
import { registerCard } from './routes/register-card.js';
import { registerCustomer } from './routes/register.js';
import { viewCustomer } from './routes/view-customer.js';
import { CallCounter } from './stats.js';
import { SandboxStore } from './store.js';

export { faultSettingsSchema, parseFaultSettingsJson, FAULT_KINDS, DEFAULT_SLOW_COMMIT_MS, type FaultKind, type FaultSettings } from './faults.js';
export { dcmsSandboxStatsSchema, tenantCountsSchema, tenantHoldingsSchema, type DcmsSandboxStats, type TenantCounts, type TenantHoldings } from './stats.js';
export { DCMS_ENDPOINTS, type DcmsEndpoint } from './endpoints.js';
export type { KitRecord as SandboxKit, DeliveryChange, SandboxKitState, CardsIssuedTwice } from './store.js';

export interface DcmsSandboxOptions {
  /** 0 picks a free port; default 4010. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Per-tenant token bucket; default DCMS standard tier, 100/s with a burst of 200. */
  rateLimit?: RateLimitSettings;
  faults?: FaultSettings;
  /** When set, every DCMS call needs `Authorization: Bearer <id_token from /api/authenticate>`, else 401. */
  auth?: AuthSettings;
  /** Fastify's request logger; off by default. */
  logger?: boolean;
}

export interface RunningDcmsSandbox extends Omit<SandboxControls, 'faults'> {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:4010 */
  url: string;
  /** Stops listening and ends every connection, hung ones included. */
  close(): Promise<void>;
}

export const DEFAULT_PORT = 4010;
const DEFAULT_HOST = '127.0.0.1';

const isDcmsEndpoint = (url: string | undefined): url is DcmsEndpoint => (DCMS_ENDPOINTS as readonly string[]).includes(url ?? '');

/** Fastify's own failures (bad JSON, wrong media type, body too large) still answer in the DCMS envelope. */
function frameworkError(error: FastifyError): DcmsResponse {
  switch (error.statusCode) {
    case 400:
      return invalidInput([`request body: ${error.message}`]);
    case 413:
      return fail(413, { errorCode: 'payload.too.large', shortMessage: 'Payload too large', detailMessage: error.message });
    case 415:
      return fail(415, { errorCode: 'unsupported.media.type', shortMessage: 'Unsupported media type', detailMessage: error.message });
    default:
      return internalError();
  }
}

function createSandbox(options: DcmsSandboxOptions): { app: FastifyInstance; controls: SandboxControls } {
  const store = new SandboxStore(new CardFactory());
  const deps = pipelineDeps(options);
  const controls = sandboxControls(store, deps);
  // forceCloseConnections: close() must not wait for requests the sandbox chose never to answer.
  const app = Fastify({ logger: options.logger ?? false, forceCloseConnections: true });
  app.addHook('preClose', async () => deps.lifecycle.shutdown());
  speakDcmsJson(app);
  answerFailuresInTheEnvelope(app, deps.calls);
  mountDcmsEndpoints(app, store, deps);
  mountAuthenticate(app, deps.tokens);
  mountAdmin(app, controls);
  return { app, controls };
}

function pipelineDeps(options: DcmsSandboxOptions): PipelineDeps {
  return {
    faults: new FaultInjector(options.faults),
    limiter: new TenantRateLimiter(options.rateLimit ?? STANDARD_TIER),
    tokens: options.auth === undefined ? undefined : new TokenIssuer(options.auth),
    calls: new CallCounter(),
    lifecycle: new Lifecycle(),
  };
}

function sandboxControls(store: SandboxStore, deps: PipelineDeps): SandboxControls {
  return {
    setFaults: (settings) => deps.faults.set(settings),
    faults: () => deps.faults.current(),
    stats: () => ({
      calls: deps.calls.snapshot(),
      tenants: store.tenantCounts(),
      duplicateCards: store.duplicateCards,
      deliveryUpdates: store.deliveryUpdates,
      deliveryKitFailures: store.deliveryKitFailures,
      pendingCalls: deps.lifecycle.pendingCalls,
    }),
    holdings: () => store.holdings(),
    kit: (tenant, kitNo) => store.kit(tenant, kitNo),
    kits: () => store.kits(),
    cardsIssuedTwice: () => store.cardsIssuedTwice(),
    setCardStatus: (tenant, kitNo, cardStatus) => store.setCardStatus(tenant, kitNo, cardStatus),
    reset: () => {
      store.reset();
      deps.calls.reset();
      deps.limiter.reset();
      deps.faults.set({});
    },
  };
}

/**
 * JSON only, like DCMS (anything else is a 415), and through the codec: the default parser would
 * round 17-digit account numbers.
 */
function speakDcmsJson(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, text, done) => {
    try {
      done(null, text === '' ? undefined : parseDcmsJson(text as string));
    } catch {
      done(Object.assign(new Error('is not valid JSON'), { statusCode: 400 }), undefined);
    }
  });
}

/** Fastify's own failures and unknown paths answer in the DCMS envelope too; failed DCMS calls are counted. */
function answerFailuresInTheEnvelope(app: FastifyInstance, calls: CallCounter): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const response = frameworkError(error);
    if (response.statusCode === 500) request.log.error({ err: error }, 'DCMS sandbox handler failed');
    const endpoint = request.routeOptions.url;
    if (isDcmsEndpoint(endpoint)) calls.record(endpoint, outcomeOf(response));
    return sendDcms(reply, response);
  });
  app.setNotFoundHandler((request, reply) => sendDcms(reply, fail(404, { errorCode: 'not.found', shortMessage: 'Not found', detailMessage: `No endpoint ${request.method} ${request.url}` })));
}

function mountDcmsEndpoints(app: FastifyInstance, store: SandboxStore, deps: PipelineDeps): void {
  mountDcmsEndpoint(app, '/register', registerCustomer(store), deps);
  mountDcmsEndpoint(app, '/registerCard', registerCard(store), deps);
  mountDcmsEndpoint(app, '/inventory/update/deliveryStatus', updateDeliveryStatus(store), deps);
  mountDcmsEndpoint(app, '/viewCustomer', viewCustomer(store), deps);
  mountDcmsEndpoint(app, '/kit-manager/fetchKitsByEntityId', fetchKitsByEntityId(store), deps);
  mountDcmsEndpoint(app, '/kit-manager/fetchKitsByAccountNo', fetchKitsByAccountNo(store), deps);
}

/** The sandbox as a Fastify instance, not listening: for `app.inject()` tests. Admin endpoints included. */
export function buildDcmsSandbox(options: DcmsSandboxOptions = {}): FastifyInstance {
  return createSandbox(options).app;
}

/** Starts the sandbox on a real port. */
export async function startDcmsSandbox(options: DcmsSandboxOptions = {}): Promise<RunningDcmsSandbox> {
  const { app, controls } = createSandbox(options);
  await app.listen({ port: options.port ?? DEFAULT_PORT, host: options.host ?? DEFAULT_HOST });
  const { address, port } = app.server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return { ...controls, url: `http://${host}:${port}`, close: () => app.close() };
}

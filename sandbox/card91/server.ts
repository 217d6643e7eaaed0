/**
 * Card91 MCTC sandbox: an HTTP server faithful to docs/reference/card91.md, with state, the
 * auth-URL webhook call on login, bearer tokens scoped to their customer, a per-token rate limit,
 * fault injection (faults.ts) and an admin API (admin.ts). For local runs and integration tests;
 * never deployed.
 */
import type { AddressInfo, Socket } from 'node:net';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { registerAdminRoutes } from './admin.js';
import type { Card91SandboxControl } from './admin.js';
import { authWebhookCaller } from './auth-webhook-call.js';
import { dispatch, SERVER_ERROR } from './dispatch.js';
import type { DispatchContext, SandboxWorld } from './dispatch.js';
import { FaultPlan } from './faults.js';
import type { SandboxFaults } from './faults.js';
import { CARD91_ROUTES } from './routes.js';
import { SANDBOX_ORG_ID } from '../../shared/tooling/local-card91.js';
import { defaultSeed } from './seed-data.js';
import type { SandboxSeed } from './seed-data.js';
import { PerTokenRateLimiter, SandboxTokenIssuer } from './session.js';
import type { RateLimit } from './session.js';
import { SandboxState } from './state.js';
import { countCall, emptyStats } from './stats.js';

export type { Card91SandboxControl } from './admin.js';
export type { SandboxStats } from './stats.js';

export interface Card91SandboxOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Our auth-URL webhook; the sandbox POSTs to it on every login, as the real platform does. */
  authWebhookUrl: string;
  /** Headers set on Card91's admin portal for the auth URL, sent with every call (our caller secret). */
  authWebhookHeaders?: Readonly<Record<string, string>>;
  orgId?: string;
  faults?: SandboxFaults;
  seed?: SandboxSeed;
  logger?: boolean;
  /** Lifetime of issued customer tokens (default 900 s). */
  tokenTtlSeconds?: number;
  /** Per-token limit behind 429 (default 50/s, burst 100); `false` disables it. */
  rateLimit?: RateLimit | false;
  /** How long a login waits for the webhook before answering 502 (default 5 s). */
  webhookTimeoutMs?: number;
}

export interface RunningCard91Sandbox extends Card91SandboxControl {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:41234 */
  url: string;
  /** Stops listening and ends every connection, hung ones included. */
  close(): Promise<void>;
}

/** The sandbox as a Fastify instance (not listening), e.g. for `inject`. */
export function buildCard91Sandbox(options: Card91SandboxOptions): FastifyInstance {
  return createSandbox(options).app;
}

function dispatchContext(options: Card91SandboxOptions, world: SandboxWorld): DispatchContext {
  return {
    world,
    orgId: options.orgId ?? SANDBOX_ORG_ID,
    issuer: new SandboxTokenIssuer(options.tokenTtlSeconds ?? 900),
    rateLimiter: options.rateLimit === false ? undefined : new PerTokenRateLimiter(options.rateLimit ?? { perSecond: 50, burst: 100 }),
    callAuthWebhook: authWebhookCaller(options.authWebhookUrl, options.webhookTimeoutMs ?? 5_000, () => world.stats.webhook, options.authWebhookHeaders),
    hungSockets: new Set<Socket>(),
  };
}

function controlOf(context: DispatchContext, seed: SandboxSeed): Card91SandboxControl {
  const { world, issuer, rateLimiter } = context;
  return {
    setFaults: (next) => {
      world.faults = new FaultPlan(next);
    },
    stats: () => structuredClone(world.stats),
    reset: () => {
      world.state = new SandboxState(seed);
      world.faults = new FaultPlan();
      world.stats = emptyStats();
      issuer.revokeAll();
      rateLimiter?.clear();
    },
    revokeTokens: () => issuer.revokeAll(),
    card: (cardId) => world.state.findCard(cardId),
  };
}

function createSandbox(options: Card91SandboxOptions): { app: FastifyInstance; control: Card91SandboxControl } {
  const seed = options.seed ?? defaultSeed();
  const world: SandboxWorld = { state: new SandboxState(seed), faults: new FaultPlan(options.faults), stats: emptyStats() };
  const context = dispatchContext(options, world);
  const control = controlOf(context, seed);

  const app = Fastify({ logger: options.logger ?? false, forceCloseConnections: true });
  // Bodies are read as text and parsed per route, so that a missing content type is a 415 and bad JSON a 400, as Card91 answers.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));

  for (const route of CARD91_ROUTES) app.route({ method: route.httpMethod, url: route.url, handler: dispatch(context, route) });
  registerAdminRoutes(app, control);
  app.setNotFoundHandler((_request, reply) => {
    countCall(world.stats, 'notFound', '404');
    return reply.code(404).type('text/plain').send('404 page not found\n');
  });
  app.setErrorHandler((_error, _request, reply) => reply.code(500).type('application/json').send(JSON.stringify(SERVER_ERROR)));
  app.addHook('onClose', async () => {
    for (const socket of context.hungSockets) socket.destroy();
    context.hungSockets.clear();
  });
  return { app, control };
}

export async function startCard91Sandbox(options: Card91SandboxOptions): Promise<RunningCard91Sandbox> {
  const { app, control } = createSandbox(options);
  await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  const { address, port } = app.server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return { ...control, url: `http://${host}:${port}`, close: () => app.close() };
}

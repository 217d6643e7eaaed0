/**
 * Card91 MCTC sandbox: an HTTP server faithful to shared/reference/card91-customer-api.md, with
 * state, the auth-URL webhook call on login, bearer tokens scoped to their customer, a per-token
 * rate limit and fault injection. For local runs and integration tests; never deployed.
 *
 * Admin API (never faulted, never rate limited):
 *   GET  /__admin/stats          calls per method and outcome, webhook verdicts
 *   POST /__admin/faults         replace the fault configuration (body: SandboxFaults)
 *   POST /__admin/reset          back to the seed data; faults, stats and rate-limit buckets cleared; tokens revoked
 *   POST /__admin/revoke-tokens  every issued customer token answers 401 from now on
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { AddressInfo, Socket } from 'node:net';
import Fastify from 'fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { FaultPlan, sandboxFaultsSchema } from './faults.js';
import type { SandboxFaults } from './faults.js';
import { CARD91_ROUTES } from './routes.js';
import type { AuthWebhookPayload, RouteDefinition, SandboxAnswer, WebhookVerdict } from './routes.js';
import { defaultSeed, SANDBOX_ORG_ID } from './seed-data.js';
import type { SandboxSeed, SeedCard } from './seed-data.js';
import { PerTokenRateLimiter, SandboxTokenIssuer } from './session.js';
import type { RateLimit } from './session.js';
import { SandboxRefusal, SandboxState } from './state.js';

export interface Card91SandboxOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Our auth-URL webhook; the sandbox POSTs to it on every login, as the real platform does. */
  authWebhookUrl: string;
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

export interface SandboxStats {
  /**
   * method name → outcome → count. Outcomes: the HTTP status answered (`"200"`, `"401"`, …) or
   * `"fault:<kind>"` for an injected fault. Unknown paths count under `notFound`.
   */
  calls: Record<string, Record<string, number>>;
  webhook: { accepted: number; refused: number; unreachable: number; withBusinessToken: number };
}

export interface Card91SandboxControl {
  /** Replaces the fault settings (validated; throws on invalid ones). */
  setFaults(faults: SandboxFaults): void;
  stats(): SandboxStats;
  /** Back to the seed data; clears faults, stats and rate-limit buckets; revokes every token. */
  reset(): void;
  /** Every customer token issued so far answers 401 from now on (forces a re-login). */
  revokeTokens(): void;
  /** A copy of one card's current state and limits; undefined when unknown. */
  card(cardId: string): SeedCard | undefined;
}

export interface RunningCard91Sandbox extends Card91SandboxControl {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:41234 */
  url: string;
  /** Stops listening and ends every connection, hung ones included. */
  close(): Promise<void>;
}

const emptyStats = (): SandboxStats => ({ calls: {}, webhook: { accepted: 0, refused: 0, unreachable: 0, withBusinessToken: 0 } });
const SERVER_ERROR = { message: 'Something went wrong' };

/** The sandbox as a Fastify instance (not listening), e.g. for `inject`. */
export function buildCard91Sandbox(options: Card91SandboxOptions): FastifyInstance {
  return createSandbox(options).app;
}

function createSandbox(options: Card91SandboxOptions): { app: FastifyInstance; control: Card91SandboxControl } {
  const orgId = options.orgId ?? SANDBOX_ORG_ID;
  const seed = options.seed ?? defaultSeed();
  const issuer = new SandboxTokenIssuer(options.tokenTtlSeconds ?? 900);
  const rateLimiter = options.rateLimit === false ? undefined : new PerTokenRateLimiter(options.rateLimit ?? { perSecond: 50, burst: 100 });
  let state = new SandboxState(seed);
  let faults = new FaultPlan(options.faults);
  let stats = emptyStats();
  /** Sockets of hung requests: destroyed on close so that close() never waits for them. */
  const hungSockets = new Set<Socket>();

  const app = Fastify({ logger: options.logger ?? false, forceCloseConnections: true });
  // Bodies are read as text and parsed per route, so that a missing content type is a 415 and bad JSON a 400, as Card91 answers.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));

  const record = (method: string, outcome: string) => {
    const perMethod = (stats.calls[method] ??= {});
    perMethod[outcome] = (perMethod[outcome] ?? 0) + 1;
  };

  const send = (reply: FastifyReply, method: string, answer: SandboxAnswer, outcome = String(answer.status)) => {
    record(method, outcome);
    return reply
      .code(answer.status)
      .headers(answer.headers ?? {})
      .type('application/json')
      .send(JSON.stringify(answer.body));
  };

  /** Leaves the request unanswered: the socket stays open until the client gives up or the sandbox closes. */
  const hang = (request: FastifyRequest, reply: FastifyReply) => {
    reply.hijack();
    const socket = request.raw.socket;
    hungSockets.add(socket);
    socket.once('close', () => hungSockets.delete(socket));
  };

  const callAuthWebhook = async (payload: AuthWebhookPayload): Promise<WebhookVerdict> => {
    try {
      const response = await fetch(options.authWebhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(options.webhookTimeoutMs ?? 5_000),
      });
      await response.arrayBuffer();
      if (response.status !== 200) {
        stats.webhook.refused += 1;
        return 'refused';
      }
      stats.webhook.accepted += 1;
      if (response.headers.get('x-c91-b-token')) stats.webhook.withBusinessToken += 1;
      return 'accepted';
    } catch {
      stats.webhook.unreachable += 1;
      return 'unreachable';
    }
  };

  /** The bearer's customer, or the answer that refuses the call (401, or 429 past the token's rate). */
  const authenticate = async (request: FastifyRequest) => {
    const token = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    const customerId = token === undefined ? undefined : await issuer.verify(token);
    const customer = customerId === undefined ? undefined : state.customerById(customerId);
    if (token === undefined || customer === undefined) throw new SandboxRefusal(401, 'Unauthorized');
    if (rateLimiter !== undefined && !rateLimiter.take(token)) {
      return { refusal: { status: 429, body: { message: 'Too many requests' }, headers: { 'retry-after': String(faults.retryAfterSeconds) } } };
    }
    return { customer };
  };

  const dispatch = (route: RouteDefinition) => async (request: FastifyRequest, reply: FastifyReply) => {
    const rawBody = typeof request.body === 'string' ? request.body : undefined;
    const method = route.methodName(rawBody);
    const names = [method, request.url.split('?')[0] ?? '', route.url];

    if (faults.latencyMs > 0) await sleep(faults.latencyMs);
    const before = faults.beforeWork(names);
    if (before?.kind === 'hang') {
      record(method, 'fault:hang');
      return hang(request, reply);
    }
    if (before?.kind === 'throttle') {
      return send(reply, method, { status: 429, body: { message: 'Too many requests' }, headers: { 'retry-after': String(faults.retryAfterSeconds) } }, 'fault:throttle');
    }
    if (before?.kind === 'error') return send(reply, method, { status: before.status, body: SERVER_ERROR }, 'fault:error');

    let answer: SandboxAnswer;
    try {
      const session = route.authenticated ? await authenticate(request) : undefined;
      if (session?.refusal !== undefined) return send(reply, method, session.refusal);
      answer = await route.handle({
        state,
        orgId,
        params: request.params as Record<string, string>,
        query: request.query as Record<string, unknown>,
        rawBody,
        contentType: request.headers['content-type'],
        customer: session?.customer,
        callAuthWebhook,
        issueToken: (customerId) => issuer.issue(customerId),
      });
    } catch (error) {
      if (!(error instanceof SandboxRefusal)) throw error;
      answer = { status: error.status, body: { message: error.message } };
    }

    const after = answer.status >= 200 && answer.status < 300 ? faults.afterWork(names) : undefined;
    if (after?.kind === 'commitThenDrop') {
      record(method, 'fault:commitThenDrop');
      reply.hijack();
      request.raw.socket.destroy();
      return;
    }
    if (after?.kind === 'commitThenFail') return send(reply, method, { status: after.status, body: SERVER_ERROR }, 'fault:commitThenFail');
    return send(reply, method, answer);
  };

  for (const route of CARD91_ROUTES) app.route({ method: route.httpMethod, url: route.url, handler: dispatch(route) });

  const control: Card91SandboxControl = {
    setFaults: (next) => {
      faults = new FaultPlan(next);
    },
    stats: () => structuredClone(stats),
    reset: () => {
      state = new SandboxState(seed);
      faults = new FaultPlan();
      stats = emptyStats();
      issuer.revokeAll();
      rateLimiter?.clear();
    },
    revokeTokens: () => issuer.revokeAll(),
    card: (cardId) => state.findCard(cardId),
  };

  app.get('/__admin/stats', async () => control.stats());
  app.post('/__admin/faults', async (request, reply) => {
    let parsed: ReturnType<typeof sandboxFaultsSchema.safeParse>;
    try {
      parsed = sandboxFaultsSchema.safeParse(JSON.parse(typeof request.body === 'string' && request.body !== '' ? request.body : '{}'));
    } catch {
      return reply.code(400).send({ message: 'body must be JSON' });
    }
    if (!parsed.success) return reply.code(400).send({ message: 'invalid faults', issues: parsed.error.issues });
    control.setFaults(parsed.data);
    return { ok: true };
  });
  app.post('/__admin/reset', async () => {
    control.reset();
    return { ok: true };
  });
  app.post('/__admin/revoke-tokens', async () => {
    control.revokeTokens();
    return { ok: true };
  });

  app.setNotFoundHandler((_request, reply) => {
    record('notFound', '404');
    return reply.code(404).type('text/plain').send('404 page not found\n');
  });
  app.setErrorHandler((_error, _request, reply) => reply.code(500).type('application/json').send(JSON.stringify(SERVER_ERROR)));
  app.addHook('onClose', async () => {
    for (const socket of hungSockets) socket.destroy();
    hungSockets.clear();
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

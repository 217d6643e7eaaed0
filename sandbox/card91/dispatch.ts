/**
 * How one `/mctc/...` request is served around its route: latency and faults before the work,
 * bearer authentication and the per-token rate limit, the route itself, then the commit faults
 * that hit only work that succeeded. Every answer is counted by method and outcome.
 */
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FaultPlan } from './faults.js';
import type { AuthWebhookPayload, RouteDefinition, SandboxAnswer, WebhookVerdict } from './routes.js';
import type { SeedCustomer } from './seed-data.js';
import type { PerTokenRateLimiter, SandboxTokenIssuer } from './session.js';
import { SandboxRefusal } from './state.js';
import type { SandboxState } from './state.js';
import { countCall } from './stats.js';
import type { SandboxStats } from './stats.js';

/** What a reset replaces: read through this object so that every request sees the current one. */
export interface SandboxWorld {
  state: SandboxState;
  faults: FaultPlan;
  stats: SandboxStats;
}

export interface DispatchContext {
  world: SandboxWorld;
  orgId: string;
  issuer: SandboxTokenIssuer;
  rateLimiter: PerTokenRateLimiter | undefined;
  callAuthWebhook: (payload: AuthWebhookPayload) => Promise<WebhookVerdict>;
  /** Sockets of hung requests: destroyed on close so that close() never waits for them. */
  hungSockets: Set<Socket>;
}

export const SERVER_ERROR = { message: 'Something went wrong' };

const tooManyRequests = (faults: FaultPlan): SandboxAnswer => ({
  status: 429,
  body: { message: 'Too many requests' },
  headers: { 'retry-after': String(faults.retryAfterSeconds) },
});

function send(context: DispatchContext, reply: FastifyReply, method: string, answer: SandboxAnswer, outcome = String(answer.status)) {
  countCall(context.world.stats, method, outcome);
  return reply
    .code(answer.status)
    .headers(answer.headers ?? {})
    .type('application/json')
    .send(JSON.stringify(answer.body));
}

/** Leaves the request unanswered: the socket stays open until the client gives up or the sandbox closes. */
function hang(context: DispatchContext, request: FastifyRequest, reply: FastifyReply): void {
  reply.hijack();
  const socket = request.raw.socket;
  context.hungSockets.add(socket);
  socket.once('close', () => context.hungSockets.delete(socket));
}

/** The bearer's customer, or the answer that refuses the call (401, or 429 past the token's rate). */
async function authenticate(context: DispatchContext, request: FastifyRequest): Promise<{ customer: SeedCustomer } | { refusal: SandboxAnswer }> {
  const token = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
  const customerId = token === undefined ? undefined : await context.issuer.verify(token);
  const customer = customerId === undefined ? undefined : context.world.state.customerById(customerId);
  if (token === undefined || customer === undefined) throw new SandboxRefusal(401, 'Unauthorized');
  if (context.rateLimiter !== undefined && !context.rateLimiter.take(token)) return { refusal: tooManyRequests(context.world.faults) };
  return { customer };
}

/** The route's answer, a refusal included; the session checks come first on authenticated routes. */
async function answerOf(context: DispatchContext, route: RouteDefinition, request: FastifyRequest, rawBody: string | undefined): Promise<SandboxAnswer> {
  try {
    const session = route.authenticated ? await authenticate(context, request) : undefined;
    if (session !== undefined && 'refusal' in session) return session.refusal;
    return await route.handle({
      state: context.world.state,
      orgId: context.orgId,
      params: request.params as Record<string, string>,
      query: request.query as Record<string, unknown>,
      rawBody,
      contentType: request.headers['content-type'],
      customer: session?.customer,
      callAuthWebhook: context.callAuthWebhook,
      issueToken: (customerId) => context.issuer.issue(customerId),
    });
  } catch (error) {
    if (!(error instanceof SandboxRefusal)) throw error;
    return { status: error.status, body: { message: error.message } };
  }
}

export const dispatch = (context: DispatchContext, route: RouteDefinition) => async (request: FastifyRequest, reply: FastifyReply) => {
  const { faults } = context.world;
  const rawBody = typeof request.body === 'string' ? request.body : undefined;
  const method = route.methodName(rawBody);
  const names = [method, request.url.split('?')[0] ?? '', route.url];

  if (faults.latencyMs > 0) await sleep(faults.latencyMs);
  const before = faults.beforeWork(names);
  if (before?.kind === 'hang') {
    countCall(context.world.stats, method, 'fault:hang');
    return hang(context, request, reply);
  }
  if (before?.kind === 'throttle') return send(context, reply, method, tooManyRequests(faults), 'fault:throttle');
  if (before?.kind === 'error') return send(context, reply, method, { status: before.status, body: SERVER_ERROR }, 'fault:error');

  const answer = await answerOf(context, route, request, rawBody);
  const after = answer.status >= 200 && answer.status < 300 ? faults.afterWork(names) : undefined;
  if (after?.kind === 'commitThenDrop') {
    countCall(context.world.stats, method, 'fault:commitThenDrop');
    reply.hijack();
    request.raw.socket.destroy();
    return;
  }
  if (after?.kind === 'commitThenFail') return send(context, reply, method, { status: after.status, body: SERVER_ERROR }, 'fault:commitThenFail');
  return send(context, reply, method, answer);
};

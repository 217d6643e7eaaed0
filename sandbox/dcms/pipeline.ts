import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TokenIssuer } from './auth.js';
import { internalError, rateLimited, serverError, tenantHeaderMissing, unauthorized } from './dcms-errors.js';
import type { DcmsEndpoint } from './endpoints.js';
import { sendDcms, type DcmsResponse } from './envelope.js';
import type { FaultDecision, FaultInjector, FaultKind } from './faults.js';
import type { Lifecycle } from './lifecycle.js';
import type { TenantRateLimiter } from './rate-limit.js';
import type { CallCounter } from './stats.js';

export interface DcmsCall {
  tenant: string;
  body: unknown;
  /** The parsed query string, e.g. `{ isAllCardsRequired: 'true' }`. */
  query: Record<string, unknown>;
  /** False under `ackWithoutCommit`: validate and answer as if applied, but change nothing. */
  commit: boolean;
}

/** A DCMS operation: synchronous, so each call applies atomically against the store. */
export type DcmsHandler = (call: DcmsCall) => DcmsResponse;

export interface PipelineDeps {
  faults: FaultInjector;
  limiter: TenantRateLimiter;
  /** Present only when auth is configured. */
  tokens: TokenIssuer | undefined;
  calls: CallCounter;
  lifecycle: Lifecycle;
}

/** Stats key for an answered call; see stats.ts. */
export const outcomeOf = (response: DcmsResponse): string => (response.body.exception === null ? String(response.statusCode) : `${response.statusCode}:${response.body.exception.errorCode}`);

/** HTTP header names are case-insensitive, and Node lower-cases them: `TENANT` arrives as `tenant`. */
function tenantOf(request: FastifyRequest): string | undefined {
  const header = request.headers.tenant;
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/**
 * Mounts one DCMS endpoint behind the checks every DCMS call goes through, in the order a gateway
 * would apply them: tenant header, bearer token, per-tenant rate limit, then injected faults.
 */
export function mountDcmsEndpoint(app: FastifyInstance, endpoint: DcmsEndpoint, handler: DcmsHandler, deps: PipelineDeps): void {
  app.post(endpoint, async (request: FastifyRequest, reply: FastifyReply) => {
    const call: Call = { endpoint, deps, request, reply, receivedAt: performance.now() };
    const admitted = admit(request, deps);
    if ('refusal' in admitted) return answer(call, admitted.refusal);
    return applyWithFaults(call, admitted.tenant, handler);
  });
}

/** One request to a DCMS endpoint, as the steps below see it. */
interface Call {
  endpoint: DcmsEndpoint;
  deps: PipelineDeps;
  request: FastifyRequest;
  reply: FastifyReply;
  /** `performance.now()` when it arrived. */
  receivedAt: number;
}

/** Answers the call, counted in the stats under its outcome. */
function answer(call: Call, response: DcmsResponse, outcome = outcomeOf(response)): FastifyReply {
  call.deps.calls.record(call.endpoint, outcome);
  return sendDcms(call.reply, response);
}

const injected = (call: Call, kind: FaultKind): void => call.deps.calls.record(call.endpoint, `fault:${kind}`);

/** The gateway's checks: the tenant the call is for, or the refusal. */
function admit(request: FastifyRequest, deps: PipelineDeps): { tenant: string } | { refusal: DcmsResponse } {
  const tenant = tenantOf(request);
  if (tenant === undefined) return { refusal: tenantHeaderMissing() };
  if (deps.tokens !== undefined) {
    const token = deps.tokens.check(request.headers.authorization);
    if (!token.valid) return { refusal: unauthorized(token.reason) };
  }
  const rate = deps.limiter.take(tenant);
  if (!rate.allowed) return { refusal: rateLimited(rate.retryAfterSeconds) };
  return { tenant };
}

/** Applies an admitted call under the fault drawn for it: before, instead of or after applying it. */
async function applyWithFaults(call: Call, tenant: string, handler: DcmsHandler): Promise<FastifyReply> {
  const { deps, request, reply } = call;
  const decision = deps.faults.decide(call.endpoint);
  // Until it is applied or refused, the call may still change DCMS's state: a verifier waits for it.
  const settled = deps.lifecycle.begin();
  try {
    // Closing mid-delay: leave the call unanswered, its connection is being destroyed anyway.
    if (decision.latencyMs > 0 && !(await deps.lifecycle.sleep(decision.latencyMs))) return deps.lifecycle.hang(reply);
    const refused = faultInsteadOfApplying(call, decision);
    if (refused !== undefined) return refused;
    if (decision.fault === 'slowCommit' && !(await slowCommitDue(call, decision.commitAfterMs))) return deps.lifecycle.hang(reply);
    const response = handler({ tenant, body: request.body, query: (request.query ?? {}) as Record<string, unknown>, commit: decision.fault !== 'ackWithoutCommit' });
    settled();
    return answerApplied(call, decision, response);
  } finally {
    settled();
  }
}

/**
 * The faults that answer instead of applying the call: the reply they sent, else undefined. Not
 * async: a FastifyReply is thenable, and an async function would wait for it to be sent.
 */
function faultInsteadOfApplying(call: Call, decision: FaultDecision): FastifyReply | undefined {
  const { deps, reply } = call;
  switch (decision.fault) {
    case 'error':
      injected(call, decision.fault);
      return sendDcms(reply, serverError(decision.status, 'Injected fault: nothing was applied'));
    case 'throttle':
      injected(call, decision.fault);
      return sendDcms(reply, rateLimited(1));
    case 'hang':
      injected(call, decision.fault);
      return deps.lifecycle.hang(reply);
    default:
      return undefined;
  }
}

/** Waits until a slow commit is due, whether or not the caller is still waiting; false when the server closed meanwhile. */
async function slowCommitDue(call: Call, commitAfterMs: number): Promise<boolean> {
  const wait = commitAfterMs - (performance.now() - call.receivedAt);
  return wait <= 0 || call.deps.lifecycle.sleep(wait);
}

/** The answer to an applied call: the handler's, or the fault that replaces it. */
function answerApplied(call: Call, decision: FaultDecision, response: DcmsResponse): FastifyReply {
  const { deps, request, reply } = call;
  switch (decision.fault) {
    case 'commitThenFail':
      injected(call, decision.fault);
      return sendDcms(reply, internalError('Injected fault after the request was applied'));
    case 'commitThenDrop':
      injected(call, decision.fault);
      return deps.lifecycle.drop(reply);
    case 'slowCommit':
    case 'ackWithoutCommit':
      injected(call, decision.fault);
      // The caller gave up long ago: there is no one left to answer.
      if (request.raw.socket.destroyed) return reply.hijack();
      return sendDcms(reply, response);
    default:
      return answer(call, response);
  }
}

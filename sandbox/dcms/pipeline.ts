import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TokenIssuer } from './auth.js';
import { internalError, rateLimited, serverError, tenantHeaderMissing, unauthorized } from './dcms-errors.js';
import type { DcmsEndpoint } from './endpoints.js';
import { sendDcms, type DcmsResponse } from './envelope.js';
import type { FaultInjector, FaultKind } from './faults.js';
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
export const outcomeOf = (response: DcmsResponse): string =>
  response.body.exception === null ? String(response.statusCode) : `${response.statusCode}:${response.body.exception.errorCode}`;

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
    const receivedAt = performance.now();
    const answer = (response: DcmsResponse, outcome = outcomeOf(response)): FastifyReply => {
      deps.calls.record(endpoint, outcome);
      return sendDcms(reply, response);
    };

    const tenant = tenantOf(request);
    if (tenant === undefined) return answer(tenantHeaderMissing());
    if (deps.tokens !== undefined) {
      const token = deps.tokens.check(request.headers.authorization);
      if (!token.valid) return answer(unauthorized(token.reason));
    }
    const rate = deps.limiter.take(tenant);
    if (!rate.allowed) return answer(rateLimited(rate.retryAfterSeconds));

    const decision = deps.faults.decide(endpoint);
    const injected = (kind: FaultKind): void => deps.calls.record(endpoint, `fault:${kind}`);
    // Until it is applied or refused, the call may still change DCMS's state: a verifier waits for it.
    const settled = deps.lifecycle.begin();
    try {
      // Closing mid-delay: leave the call unanswered, its connection is being destroyed anyway.
      if (decision.latencyMs > 0 && !(await deps.lifecycle.sleep(decision.latencyMs))) return deps.lifecycle.hang(reply);

      switch (decision.fault) {
        case 'error':
          injected(decision.fault);
          return sendDcms(reply, serverError(decision.status, 'Injected fault: nothing was applied'));
        case 'throttle':
          injected(decision.fault);
          return sendDcms(reply, rateLimited(1));
        case 'hang':
          injected(decision.fault);
          return deps.lifecycle.hang(reply);
        case 'slowCommit': {
          // Applied slowCommitMs after it was received, whether or not the caller is still waiting.
          const wait = decision.commitAfterMs - (performance.now() - receivedAt);
          if (wait > 0 && !(await deps.lifecycle.sleep(wait))) return deps.lifecycle.hang(reply);
          break;
        }
        default:
          break;
      }

      const response = handler({ tenant, body: request.body, query: (request.query ?? {}) as Record<string, unknown>, commit: decision.fault !== 'ackWithoutCommit' });
      settled();
      switch (decision.fault) {
        case 'commitThenFail':
          injected(decision.fault);
          return sendDcms(reply, internalError('Injected fault after the request was applied'));
        case 'commitThenDrop':
          injected(decision.fault);
          return deps.lifecycle.drop(reply);
        case 'slowCommit':
        case 'ackWithoutCommit':
          injected(decision.fault);
          // The caller gave up long ago: there is no one left to answer.
          if (request.raw.socket.destroyed) return reply.hijack();
          return sendDcms(reply, response);
        default:
          return answer(response);
      }
    } finally {
      settled();
    }
  });
}

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TokenIssuer } from './auth.js';
import { internalError, rateLimited, tenantHeaderMissing, unauthorized } from './dcms-errors.js';
import type { DcmsEndpoint } from './endpoints.js';
import { sendDcms, type DcmsResponse } from './envelope.js';
import type { FaultInjector, FaultKind } from './faults.js';
import type { Lifecycle } from './lifecycle.js';
import type { TenantRateLimiter } from './rate-limit.js';
import type { CallCounter } from './stats.js';

export interface DcmsCall {
  tenant: string;
  body: unknown;
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

    const { latencyMs, fault } = deps.faults.decide(endpoint);
    // Closing mid-delay: leave the call unanswered, its connection is being destroyed anyway.
    if (latencyMs > 0 && !(await deps.lifecycle.sleep(latencyMs))) return deps.lifecycle.hang(reply);
    const injected = (kind: FaultKind): void => deps.calls.record(endpoint, `fault:${kind}`);

    switch (fault) {
      case 'error':
        injected(fault);
        return sendDcms(reply, internalError('Injected fault: nothing was applied'));
      case 'throttle':
        injected(fault);
        return sendDcms(reply, rateLimited(1));
      case 'hang':
        injected(fault);
        return deps.lifecycle.hang(reply);
      default:
        break;
    }

    const response = handler({ tenant, body: request.body });
    if (fault === 'commitThenFail') {
      injected(fault);
      return sendDcms(reply, internalError('Injected fault after the request was applied'));
    }
    if (fault === 'commitThenDrop') {
      injected(fault);
      return deps.lifecycle.drop(reply);
    }
    return answer(response);
  });
}

/**
 * Card91 failures → the one error taxonomy (shared/resilience/errors.ts). Classification lives here
 * only; callers branch on `category` and `code`, never on message text.
 *
 * Messages carry the method name, the HTTP status and the code only: never a response body
 * (bodies hold PII: PAN, passport, DOB, docs/reference/card91.md §1.3) and never the customer's mobile.
 */
import { FailureCategory, IntegrationError } from '../resilience/errors.js';

export const Card91ErrorCode = {
  /** No HTTP answer: connection refused/reset, DNS, a socket dropped mid-response. */
  Network: 'C91_NETWORK',
  /** No complete answer within `timeoutMs`. */
  Timeout: 'C91_TIMEOUT',
  /** A 2xx whose body is not JSON or does not match the schema. */
  ResponseSchema: 'C91_RESPONSE_SCHEMA',
  /** A 2xx login without the `Jwt_token` header. */
  LoginTokenMissing: 'C91_LOGIN_TOKEN_MISSING',
  /** Our own sdkAuthToken provider failed (e.g. its secret could not be read). */
  SdkAuthTokenUnavailable: 'C91_SDK_AUTH_TOKEN_UNAVAILABLE',
  /** The caller's input failed validation: nothing was sent. */
  InvalidRequest: 'C91_INVALID_REQUEST',
} as const;

/** `C91_<status>` for every HTTP status answer, e.g. `C91_404`. */
export const httpStatusCode = (status: number): string => `C91_${status}`;

/**
 * Reads change nothing, so any transient fault may be retried. Writes (M6, M7, M8) change card
 * state: only answers that prove the request was not processed may be retried; anything else is
 * an UnknownOutcome the caller reconciles by reading card settings / customer detail.
 */
export type CallKind = 'read' | 'write';

/**
 * Answers that prove a write was not processed: 429 (rejected by the rate limiter before any
 * work) and 503 (service unavailable: not accepted). 500/502/504 could come after the change was
 * committed (a gateway timing out on a slow backend), so they are not proof.
 */
const WRITE_NOT_PROCESSED = new Set([429, 503]);

/** Retry-After is either delta-seconds or an HTTP-date (RFC 9110 §10.2.3). */
export function parseRetryAfter(header: string | null, now: number = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1_000));
}

/** A non-2xx HTTP answer. 401 is classified Permanent here; the client re-logs in once before it lets it out. */
export function classifyHttpStatus(method: string, status: number, kind: CallKind, retryAfter: string | null): IntegrationError {
  const code = httpStatusCode(status);
  const message = `Card91 ${method} failed: HTTP ${status} (${code})`;
  if (status === 429) {
    return new IntegrationError({
      category: FailureCategory.Transient,
      code,
      message,
      status,
      retryAfterSeconds: parseRetryAfter(retryAfter),
    });
  }
  if (status >= 500) {
    const category = kind === 'read' || WRITE_NOT_PROCESSED.has(status) ? FailureCategory.Transient : FailureCategory.UnknownOutcome;
    return new IntegrationError({ category, code, message, status, retryAfterSeconds: parseRetryAfter(retryAfter) });
  }
  // 400, 401 (after the one re-login), 403, 404, 405, 415 and anything else unexpected (3xx, 409…):
  // the same request would get the same answer.
  return new IntegrationError({ category: FailureCategory.Permanent, code, message, status });
}

/** No HTTP answer. On a write the request may have been processed, so it is an UnknownOutcome. */
export function classifyTransportFailure(method: string, kind: CallKind, timedOut: boolean, cause: unknown): IntegrationError {
  const code = timedOut ? Card91ErrorCode.Timeout : Card91ErrorCode.Network;
  const what = timedOut ? 'timed out' : 'no response (network error)';
  return new IntegrationError({
    category: kind === 'read' ? FailureCategory.Transient : FailureCategory.UnknownOutcome,
    code,
    message: `Card91 ${method} ${what} (${code})`,
    cause,
  });
}

/**
 * A 2xx body that is not what the contract says. Retrying returns the same body, so it is
 * permanent; only the offending field paths are named, never values.
 */
export function responseSchemaError(method: string, status: number, fieldPaths: readonly string[]): IntegrationError {
  const fields = fieldPaths.length > 0 ? `; fields: ${fieldPaths.slice(0, 5).join(', ')}` : '';
  return new IntegrationError({
    category: FailureCategory.Permanent,
    code: Card91ErrorCode.ResponseSchema,
    message: `Card91 ${method} returned an unexpected body: HTTP ${status} (${Card91ErrorCode.ResponseSchema})${fields}`,
    status,
  });
}

/** The caller's input is invalid: nothing was sent. Field paths only, no values. */
export function invalidRequestError(method: string, fieldPaths: readonly string[]): IntegrationError {
  return new IntegrationError({
    category: FailureCategory.InvalidEvent,
    code: Card91ErrorCode.InvalidRequest,
    message: `Card91 ${method} request is invalid (${Card91ErrorCode.InvalidRequest}); fields: ${fieldPaths.join(', ') || '(root)'}`,
  });
}

export const isUnauthorized = (error: unknown): boolean => error instanceof IntegrationError && error.status === 401;

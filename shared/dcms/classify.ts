import { FailureCategory, IntegrationError } from '../resilience/errors.js';
import type { DcmsException } from './schemas.js';

/**
 * DCMS error codes, both documented styles (docs/reference/dcms.md §4), mapped onto the one taxonomy.
 * Anything not listed is Permanent: 4xx and business errors repeat identically.
 */
const CUSTOMER_NOT_FOUND = new Set(['CUS001', 'entity.not.found', 'cms.customer.not.found']);
export const ENTITY_ALREADY_EXISTS = 'entity.already.exists';

export const isCustomerNotFound = (code: string): boolean => CUSTOMER_NOT_FOUND.has(code);

export type DcmsOperation = 'register' | 'registerCard' | 'deliveryStatus' | 'viewCustomer' | 'fetchKits' | 'authenticate';

/** Writes whose effect cannot be assumed absent after a lost answer: the caller must reconcile. */
const NON_IDEMPOTENT: ReadonlySet<DcmsOperation> = new Set(['register', 'registerCard']);

/**
 * Writes DCMS may still commit after our client gave up on them (no answer at all): besides the
 * non-idempotent ones, a delivery status, which is harmless to repeat but harmful to land late,
 * after a newer status of the same kit. None of them is retried in the call.
 */
const LATE_COMMIT_POSSIBLE: ReadonlySet<DcmsOperation> = new Set([...NON_IDEMPOTENT, 'deliveryStatus']);

export const exceptionText = (exception: DcmsException): string => exception.detailMessage ?? exception.errorMessage ?? exception.shortMessage ?? 'no message';

/**
 * A business error carried in the envelope. The HTTP status decides first: a 429 or 5xx answer
 * that happens to carry an exception body is still a rate limit or an outage, not a business error.
 */
export function fromException(operation: DcmsOperation, exception: DcmsException, status: number, retryAfterSeconds?: number): IntegrationError {
  if (status === 429 || status >= 500) {
    const failure = fromStatus(operation, status, retryAfterSeconds);
    return new IntegrationError({ category: failure.category, code: exception.errorCode ?? failure.code, status, retryAfterSeconds, message: `${failure.message}: ${exceptionText(exception)}` });
  }
  const code = exception.errorCode ?? `HTTP_${status}`;
  const category = operation === 'registerCard' && isCustomerNotFound(code) ? FailureCategory.DependencyNotReady : FailureCategory.Permanent;
  return new IntegrationError({ category, code, status, message: `DCMS ${operation}: ${exceptionText(exception)}` });
}

/** An HTTP status with no usable envelope exception. */
export function fromStatus(operation: DcmsOperation, status: number, retryAfterSeconds?: number): IntegrationError {
  const code = `HTTP_${status}`;
  if (status === 429) {
    return new IntegrationError({ category: FailureCategory.Transient, code, status, retryAfterSeconds, message: `DCMS ${operation}: rate limited` });
  }
  if (status >= 500) {
    // A 5xx on a write can follow a committed effect (commit-then-fail): not safe to re-send blindly.
    const category = NON_IDEMPOTENT.has(operation) ? FailureCategory.UnknownOutcome : FailureCategory.Transient;
    return new IntegrationError({ category, code, status, message: `DCMS ${operation}: server error ${status}` });
  }
  return new IntegrationError({ category: FailureCategory.Permanent, code, status, message: `DCMS ${operation}: HTTP ${status}` });
}

/**
 * A success status whose body we cannot read as the documented envelope. For a write the effect
 * probably happened: reconcile before anything else; for a read it is a contract break.
 */
export function unreadableAnswer(operation: DcmsOperation, status: number): IntegrationError {
  const category = NON_IDEMPOTENT.has(operation) ? FailureCategory.UnknownOutcome : FailureCategory.Permanent;
  return new IntegrationError({ category, code: 'UNEXPECTED_RESPONSE', status, message: `DCMS ${operation}: answer does not match the documented shape` });
}

/** No answer at all: a timeout or a dropped connection. */
export function fromTransport(operation: DcmsOperation, error: unknown): IntegrationError {
  const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
  const code = timedOut ? 'TIMEOUT' : 'NETWORK';
  const category = LATE_COMMIT_POSSIBLE.has(operation) ? FailureCategory.UnknownOutcome : FailureCategory.Transient;
  const detail = timedOut ? 'no answer before the timeout' : 'connection failed or was dropped';
  return new IntegrationError({ category, code, message: `DCMS ${operation}: ${detail}`, cause: error });
}

/** Retry-After is seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1_000));
}

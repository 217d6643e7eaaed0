import { FailureCategory, IntegrationError, toIntegrationError } from './errors.js';

export interface AtMostOnceOptions<T> {
  /** The non-idempotent write (DCMS `/register`, `/registerCard`, a Card91 state change). */
  send: () => Promise<T>;
  /** Reads the platform (e.g. `/viewCustomer`) and returns the effect if it already happened. */
  reconcile: () => Promise<T | undefined>;
  /** A previous delivery of this event may have sent the write already: read before sending. */
  checkFirst: boolean;
  /** An error that means "already there" (entity.already.exists); trusted only once reconcile confirms it. */
  isAlreadyDone?: (error: IntegrationError) => boolean;
}

export interface AtMostOnceResult<T> {
  result: T;
  /** True when the effect was found on the platform instead of being made by this call. */
  reconciled: boolean;
}

/**
 * Check-first sending (DESIGN §2): a write whose answer was lost (timeout, dropped connection,
 * 5xx after commit) is never sent again in the same invocation. The platform is read; if the effect
 * is there it is the result, and if not the record goes back to SQS. A write that was merely slow
 * to commit has had the visibility timeout to land by the next delivery, which reads before it
 * sends. This is what keeps a second card from being issued.
 */
export async function sendAtMostOnce<T>(options: AtMostOnceOptions<T>): Promise<AtMostOnceResult<T>> {
  if (options.checkFirst) {
    const existing = await options.reconcile();
    if (existing !== undefined) return { result: existing, reconciled: true };
  }
  let failure: IntegrationError;
  try {
    return { result: await options.send(), reconciled: false };
  } catch (error) {
    failure = toIntegrationError(error);
  }
  const unknown = failure.category === FailureCategory.UnknownOutcome;
  const alreadyDone = options.isAlreadyDone?.(failure) ?? false;
  if (!unknown && !alreadyDone) throw failure;

  const existing = await options.reconcile();
  if (existing !== undefined) return { result: existing, reconciled: true };
  if (alreadyDone) {
    throw new IntegrationError({
      category: FailureCategory.Permanent,
      code: failure.code,
      message: `${failure.message}; the platform does not confirm it on read-back, so it was not treated as done`,
    });
  }
  // Not lost: SQS redelivers after the visibility timeout, and that delivery reads before it sends.
  throw new IntegrationError({
    category: FailureCategory.Transient,
    code: 'UNKNOWN_OUTCOME',
    message: `${failure.message}; outcome unknown and not found on read-back yet`,
  });
}

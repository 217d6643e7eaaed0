import type { PendingSends } from '../persistence/pending-sends.js';
import { FailureCategory, IntegrationError, isIntegrationError, toIntegrationError } from './errors.js';

/** Durable memory of sends whose outcome is unknown, and how long such a send may still commit. */
export interface SettleWindow {
  store: PendingSends;
  /** Tenant-scoped business key of the write. */
  key: string;
  windowMs: number;
}

export interface AtMostOnceOptions<T> {
  /** The non-idempotent write (DCMS `/register`, `/registerCard`, a Card91 state change). */
  send: () => Promise<T>;
  /** Reads the platform (e.g. `/kit-manager/fetchKitsByEntityId`) and returns the effect if it already happened. */
  reconcile: () => Promise<T | undefined>;
  /** A previous delivery of this event may have sent the write already: read before sending. */
  checkFirst: boolean;
  /** An error that means "already there" (entity.already.exists); trusted only once reconcile confirms it. */
  isAlreadyDone?: (error: IntegrationError) => boolean;
  /** Writes that must wait out a settle window after an unknown outcome (DCMS); without it, the next delivery only reads first. */
  settle?: SettleWindow;
  now?: () => number;
}

export interface AtMostOnceResult<T> {
  result: T;
  /** True when the effect was found on the platform instead of being made by this call. */
  reconciled: boolean;
}

/** Transient, due again when the settle window since the last send ends. */
const settling = (code: 'SETTLING' | 'UNKNOWN_OUTCOME', dueInMs: number, detail: string): IntegrationError =>
  new IntegrationError({
    category: FailureCategory.Transient,
    code,
    message: `${detail}; not sent again until the settle window since that send has passed and a read still shows nothing`,
    dueInSeconds: Math.max(1, Math.ceil(dueInMs / 1_000)),
  });

/**
 * Check-first sending (docs/RELIABILITY.md): a write whose answer was lost (timeout, dropped
 * connection, 5xx after commit) is never sent again in the same invocation. The platform is read;
 * if the effect is there it is the result. If not, the record goes back to SQS, and with a settle
 * window nothing is sent again, by any delivery, until that window has passed since the last send
 * (stored before the send left) and a read then still shows nothing: a request the platform was
 * only slow to commit lands meanwhile and is found, instead of being doubled.
 */
export async function sendAtMostOnce<T>(options: AtMostOnceOptions<T>): Promise<AtMostOnceResult<T>> {
  const now = options.now ?? Date.now;
  const { settle } = options;
  const lastSentAt = settle && (await settle.store.lastSentAt(settle.key));
  if (options.checkFirst || lastSentAt !== undefined) {
    const existing = await options.reconcile();
    if (existing !== undefined) {
      if (settle && lastSentAt !== undefined) await settle.store.clear(settle.key);
      return { result: existing, reconciled: true };
    }
  }
  if (settle && lastSentAt !== undefined && now() < lastSentAt + settle.windowMs) {
    throw settling('SETTLING', lastSentAt + settle.windowMs - now(), 'an earlier send of this write may still commit');
  }

  const sentAt = now();
  if (settle) await settle.store.markSending(settle.key, sentAt);
  let failure: IntegrationError;
  let unknown: boolean;
  try {
    const result = await options.send();
    if (settle) await settle.store.clear(settle.key);
    return { result, reconciled: false };
  } catch (error) {
    failure = toIntegrationError(error);
    // Anything the client did not classify may have left after the request did: assume it reached the platform.
    unknown = !isIntegrationError(error) || failure.category === FailureCategory.UnknownOutcome;
  }
  const alreadyDone = options.isAlreadyDone?.(failure) ?? false;
  if (!unknown && !alreadyDone) {
    // Refused or never sent (4xx, 429, an open circuit, no time left): nothing can commit later.
    if (settle) await settle.store.clear(settle.key);
    throw failure;
  }

  const existing = await options.reconcile();
  if (existing !== undefined) {
    if (settle) await settle.store.clear(settle.key);
    return { result: existing, reconciled: true };
  }
  if (alreadyDone) {
    if (settle) await settle.store.clear(settle.key);
    throw new IntegrationError({
      category: FailureCategory.Permanent,
      code: failure.code,
      message: `${failure.message}; the platform does not confirm it on read-back, so it was not treated as done`,
    });
  }
  // Not lost: the record comes back (after the settle window, when there is one) and reads before anything is sent.
  if (settle) throw settling('UNKNOWN_OUTCOME', sentAt + settle.windowMs - now(), `${failure.message}; outcome unknown and not found on read-back yet`);
  throw new IntegrationError({ category: FailureCategory.Transient, code: 'UNKNOWN_OUTCOME', message: `${failure.message}; outcome unknown and not found on read-back yet` });
}

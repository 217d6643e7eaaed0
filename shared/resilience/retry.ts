import { DelegateBackoff, handleWhen, retry } from 'cockatiel';
import { CIRCUIT_OPEN } from './breaker.js';
import { type IntegrationError, isIntegrationError, toIntegrationError } from './errors.js';

export interface RetryOptions {
  /** Retries after the first attempt (DCMS reference: at most 3). */
  maxRetries: number;
  /** First backoff ceiling; doubles each retry (full jitter picks uniformly below it). */
  baseDelayMs: number;
  /** Highest backoff ceiling. */
  maxDelayMs: number;
  /** Epoch ms after which no new attempt starts (e.g. the Lambda's remaining time, less a margin). */
  deadline?: number;
  /** Shortest time worth giving an attempt; a retry that cannot get this much before the deadline is not made. */
  minAttemptMs?: number;
  /** Called before each backoff sleep, for logs and metrics. */
  onRetry?: (info: { attempt: number; delayMs: number; error: IntegrationError }) => void;
  /** Random source in [0, 1), injectable for tests. */
  random?: () => number;
}

export const DEFAULT_RETRY: RetryOptions = { maxRetries: 3, baseDelayMs: 200, maxDelayMs: 5_000, minAttemptMs: 1_000 };

/**
 * Full-jitter delay (AWS architecture blog "Exponential Backoff and Jitter"), but never shorter
 * than a Retry-After the platform asked for.
 */
export function backoffDelay(retryNumber: number, error: IntegrationError, options: RetryOptions): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (retryNumber - 1));
  const jittered = Math.floor((options.random ?? Math.random)() * ceiling);
  const asked = (error.retryAfterSeconds ?? 0) * 1_000;
  return Math.max(jittered, asked);
}

/**
 * Runs `attempt` with in-call retries for transient faults only (5xx, 429, network, timeout).
 * Permanent errors, unknown outcomes (a write that may have happened: the caller must reconcile
 * first) and an open circuit are thrown at once. The retry loop itself is cockatiel's; this only
 * decides which failures qualify and how long to wait.
 */
export async function withRetry<T>(attempt: (attemptNumber: number) => Promise<T>, options: RetryOptions = DEFAULT_RETRY): Promise<T> {
  let plannedDelay = 0;
  let retries = 0;
  const qualifies = (error: unknown): boolean => {
    if (!isIntegrationError(error) || !error.retryableInCall || error.code === CIRCUIT_OPEN) return false;
    const delay = backoffDelay(retries + 1, error, options);
    if (options.deadline !== undefined && Date.now() + delay + (options.minAttemptMs ?? 0) > options.deadline) return false;
    plannedDelay = delay;
    retries += 1;
    options.onRetry?.({ attempt: retries, delayMs: delay, error });
    return true;
  };
  const policy = retry(handleWhen(qualifies), {
    maxAttempts: options.maxRetries,
    backoff: new DelegateBackoff(() => plannedDelay),
  });
  try {
    return await policy.execute(({ attempt: n }) => attempt(n + 1));
  } catch (error) {
    throw toIntegrationError(error);
  }
}

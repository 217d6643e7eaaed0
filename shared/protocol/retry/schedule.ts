/**
 * The retry schedule of one record, pure: from the record's own retry history (kept with the
 * record's identity, not with whichever SQS message carries it) and its latest failure, whether it
 * is dead-lettered now, given up on, or due again after a delay. A copy moved to the back of its
 * FIFO group, a redrive or any redelivery continues the same history, so the backoff keeps growing
 * and the attempts stay bounded by the schedule.
 */
import type { RetryPolicy } from '../../config/resources.js';
import type { FailureCategory } from '../../resilience/errors.js';

export interface RetryHistory {
  /** Failed attempts so far, this one included. */
  attempts: number;
  /** Epoch ms of the record's first failure. */
  firstFailedAt: number;
  /** Epoch ms from which the current budget runs: the first failure, or the operator's last redrive. */
  budgetFrom: number;
}

/** What the schedule needs of a failure (an IntegrationError has it all). */
export interface ScheduledFailure {
  category: FailureCategory;
  deadLetterNow: boolean;
  /** Known exactly when the record is due again (an open circuit's trial, a settle window's end). */
  dueInSeconds?: number | undefined;
  /** The least wait the platform asked for (Retry-After). */
  retryAfterSeconds?: number | undefined;
}

export type RetryDecision = { kind: 'deadLetter' } | { kind: 'exhausted'; reason: string } | { kind: 'retry'; delaySeconds: number };

/** SQS caps a visibility timeout at 12 hours. */
const MAX_VISIBILITY_SECONDS = 43_200;

/** The budget a failure of this category may wait for: its own, or the queue's. */
export const budgetSecondsFor = (policy: RetryPolicy, category: FailureCategory): number => policy.categoryBudgetSeconds?.[category] ?? policy.budgetSeconds;

/** The longest budget any category of this policy has. */
const longestBudgetSeconds = (policy: RetryPolicy): number => Math.max(policy.budgetSeconds, ...Object.values(policy.categoryBudgetSeconds ?? {}));

/** Failed attempts before the backoff reaches its cap: 30 s → 900 s doubles 6 times. */
export const ladderSteps = (policy: RetryPolicy): number => Math.ceil(Math.log2(policy.backoffCapSeconds / policy.backoffBaseSeconds)) + 1;

/**
 * Attempts a record makes over `seconds` of failing at the plain backoff (the ladder, then one per
 * cap): prod, a day → 6 + (86,400 − 1,830) / 900 ≈ 100. An open circuit's trials (at most every
 * `circuitTrialCapSeconds`) and settle windows schedule their own, shorter waits.
 */
export function backoffAttemptsWithin(policy: RetryPolicy, seconds: number): number {
  let attempts = 0;
  let elapsed = 0;
  while (elapsed <= seconds) {
    attempts += 1;
    elapsed += Math.min(policy.backoffCapSeconds, policy.backoffBaseSeconds * 2 ** (attempts - 1));
  }
  return attempts;
}

/**
 * The poison-message safety net, in attempts: three times what the longest budget allows at the
 * shortest steady interval (the cap, or an open circuit's trial, whichever is sooner). A record
 * that reaches it is failing faster than any schedule lets it: it is dead-lettered with its reason.
 */
export function safetyNetAttempts(policy: RetryPolicy): number {
  const steadyIntervalSeconds = Math.min(policy.backoffCapSeconds, policy.circuitTrialCapSeconds);
  return 3 * (ladderSteps(policy) + Math.ceil(longestBudgetSeconds(policy) / steadyIntervalSeconds));
}

/** The wait before the record's next attempt: its own schedule, else a delay doubling per attempt up to the cap. */
export function delaySecondsFor(attempts: number, failure: ScheduledFailure, policy: RetryPolicy): number {
  const backoff = Math.min(policy.backoffCapSeconds, policy.backoffBaseSeconds * 2 ** (Math.max(1, attempts) - 1));
  const seconds = failure.dueInSeconds ?? Math.max(backoff, failure.retryAfterSeconds ?? 0);
  return Math.min(MAX_VISIBILITY_SECONDS, Math.max(1, Math.ceil(seconds)));
}

/** What happens to a record that failed, given its history (this failure counted) at `now`. */
export function nextRetry(history: RetryHistory, failure: ScheduledFailure, policy: RetryPolicy, now: number): RetryDecision {
  if (failure.deadLetterNow) return { kind: 'deadLetter' };
  const net = safetyNetAttempts(policy);
  if (history.attempts >= net) return { kind: 'exhausted', reason: `gave up after ${history.attempts} attempts (the safety net: ${net})` };
  const budget = budgetSecondsFor(policy, failure.category);
  const waited = (now - history.budgetFrom) / 1_000;
  if (waited >= budget) {
    return { kind: 'exhausted', reason: `gave up after ${Math.round(waited)} s of failures (retry budget ${budget} s, ${history.attempts} attempts)` };
  }
  return { kind: 'retry', delaySeconds: delaySecondsFor(history.attempts, failure, policy) };
}

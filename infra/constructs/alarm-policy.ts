import { Duration } from 'aws-cdk-lib';
import type { QueueDescription } from '../../shared/config/resources.js';
import { SOURCE_RETENTION_DAYS } from './worker-queue.js';

/** Alarm thresholds, and why. */
export const ALARM_POLICY = {
  /** Any function error pages: workers report bad records as batch item failures, so an error is a crash or a bad deploy. */
  functionErrors: 1,
  /** Any throttle pages: maxConcurrency keeps the event sources under their ceiling, so a throttle means the account's concurrency is exhausted. */
  functionThrottles: 1,
  /** Platform error rate, in percent of calls over 5 minutes, two periods running: a bank-wide problem, not one bad record. */
  platformErrorRatePercent: 10,
  /** Below this many calls in 5 minutes the rate is noise (2 failures out of 5 are not an outage). */
  platformMinCalls: 20,
  /**
   * A dead letter is lost when the DLQ's retention runs out. The DLQ's age metric counts from the move, while a
   * standard queue's message expires counting from its first enqueue, up to the source retention earlier: warn this
   * many days before the earliest possible expiry.
   */
  dlqExpiryWarningDays: 2,
  /** Webhook 5xx (our fault: the partner must resend), percent of a route's requests, two 5-minute periods running. */
  webhook5xxRatePercent: 5,
  /** Webhook 4xx (refused signatures or bodies, and API Gateway's 429s in a flood), percent, three periods running. */
  webhook4xxRatePercent: 25,
  /** Below this many requests to a route in 5 minutes its rates are noise. */
  webhookMinRequests: 20,
  /** p99 above the route's objective this many 5-minute periods running. */
  webhookLatencyPeriods: 3,
  /**
   * Records waiting on a dependency (`DependencyNotReady`, CUS001: accounts whose customer DCMS does not have), counted
   * as their returns to the queue over 15 minutes, the longest a waiting record stays away (the backoff cap), so each
   * one counts at least once. An account sent just before its customer waits once and goes through: a handful is
   * normal. This many, two periods running, is customers that are not coming: a producer dropping or misrouting
   * customer events, or customers dead-lettered. Pages hours before the first of them is dead-lettered as Exhausted.
   */
  dependencyWaits: 25,
  dependencyWaitsPeriods: 2,
} as const;

/** The period the dependency-waits alarm sums over: the production backoff cap. */
export const FIFTEEN_MINUTES = Duration.minutes(15);

/** The periods the alarms and the dashboard read their metrics over. */
export const FIVE_MINUTES = Duration.minutes(5);
export const ONE_MINUTE = Duration.minutes(1);
export const DAY_SECONDS = 86_400;

/** How long a message may sit in a DLQ before it may expire, less the warning (see ALARM_POLICY.dlqExpiryWarningDays). */
export const dlqExpiryAlarmSeconds = (description: QueueDescription): number => (description.dlqRetentionDays - SOURCE_RETENTION_DAYS - ALARM_POLICY.dlqExpiryWarningDays) * DAY_SECONDS;

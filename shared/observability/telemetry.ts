import { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Card91CallInfo } from '../card91/transport.js';
import type { DcmsCallInfo } from '../dcms/client.js';
import { FailureCategory } from '../resilience/errors.js';
import { LeanLogFormatter } from './lean-log-formatter.js';
import { maskingReplacer } from './masking.js';
import { SetMetrics } from './metric-sets.js';
import { Tracer } from './tracer.js';

export const METRICS_NAMESPACE = 'CardIssuance';

export interface Telemetry {
  logger: Logger;
  metrics: SetMetrics;
  tracer: Tracer;
}

/** Logger (masked JSON), EMF metrics and tracer for one function, created once at cold start. */
export function createTelemetry(serviceName: string): Telemetry {
  const logger = new Logger({ serviceName, jsonReplacerFn: maskingReplacer, logFormatter: new LeanLogFormatter() });
  return {
    logger,
    // Its own warnings go through the structured, level-filtered logger rather than bare console lines.
    metrics: new SetMetrics({ namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? METRICS_NAMESPACE, serviceName, logger }),
    tracer: new Tracer(serviceName),
  };
}

/** Records sent back to wait on another (`DependencyNotReady`: an account whose customer DCMS does not have yet), by service. */
export const DEPENDENCY_WAITS_METRIC = 'DependencyWaits';

/** Outcome of one event, as counted in `EventsProcessed` by the `outcome` dimension. */
export type EventOutcome = 'succeeded' | 'duplicate' | 'stale' | 'reconciled' | 'retried' | 'deadLettered';

/** One record's outcome in one invocation (`retried` is not final: the record comes back). */
export interface OutcomeReport {
  messageId: string;
  eventId?: string;
  eventType: string;
  outcome: EventOutcome;
  category?: string;
  code?: string;
  reason?: string;
  /** `retried` only: epoch ms of the record's next attempt. */
  nextAttemptAt?: number;
  /** `retried` only: epoch ms of its first failure. */
  firstFailedAt?: number;
  /** `retried` only: epoch ms when its retry budget (its category's, from its first failure or last redrive) is spent. */
  givesUpAt?: number;
}

/** Receives every outcome as it happens: the local stack's accounting; nothing in production. */
export type OutcomeObserver = (report: OutcomeReport) => void;

/** Counts the outcome in `EventsProcessed` (EMF, published with the invocation), a wait on a dependency in `DependencyWaits`, and hands it to the observer, if any. */
export function reportOutcome(metrics: SetMetrics, observer: OutcomeObserver | undefined, report: OutcomeReport): void {
  metrics.addToSet({ outcome: report.outcome, eventType: report.eventType }, 'EventsProcessed', MetricUnit.Count, 1);
  if (report.outcome === 'retried' && report.category === FailureCategory.DependencyNotReady) {
    // A waiting record comes back at least once per backoff cap, so a sum over that long counts each one at least once.
    metrics.addToSet({}, DEPENDENCY_WAITS_METRIC, MetricUnit.Count, 1);
  }
  observer?.(report);
}

/** DCMS calls and latency by endpoint and outcome code (the alarms' error-rate source). */
export function recordDcmsCall(metrics: SetMetrics, logger: Logger, call: DcmsCallInfo): void {
  const dimensions = { endpoint: call.operation, outcome: call.outcome };
  metrics.addToSet(dimensions, 'DcmsCalls', MetricUnit.Count, 1);
  metrics.addToSet(dimensions, 'DcmsLatency', MetricUnit.Milliseconds, Math.round(call.durationMs));
  logger.debug('DCMS call', { endpoint: call.operation, tenant: call.tenant, outcome: call.outcome, durationMs: Math.round(call.durationMs) });
}

/** Card91 calls and latency by client method and outcome (HTTP status, `timeout` or `network`): the alarms' source. */
export function recordCard91Call(metrics: SetMetrics, logger: Logger, call: Card91CallInfo): void {
  const outcome = String(call.status);
  const dimensions = { method: call.method, outcome };
  metrics.addToSet(dimensions, 'Card91Calls', MetricUnit.Count, 1);
  metrics.addToSet(dimensions, 'Card91Latency', MetricUnit.Milliseconds, Math.round(call.durationMs));
  logger.debug('Card91 call', { method: call.method, outcome, durationMs: call.durationMs });
}

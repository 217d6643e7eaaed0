import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { Telemetry } from './telemetry.js';

/**
 * The one wiring of every function: the handler span (tracer.ts), EMF metrics (with the cold-start
 * metric) and the logger with the Lambda context. Events and responses hold customer data (SQS
 * bodies, courier payloads), so the event is never logged, whatever POWERTOOLS_LOGGER_LOG_EVENT
 * says, and neither events nor responses go into traces.
 */
export function instrument<Event, Result>(handler: (event: Event, context: Context) => Promise<Result>, { logger, metrics, tracer }: Telemetry) {
  const traced = (event: Event, context: Context) => tracer.traceInvocation(process.env._HANDLER ?? 'handler', () => handler(event, context));
  return middy<Event, Result>(traced)
    .use(publishMetrics(metrics))
    .use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }));
}

/**
 * Powertools' `logMetrics`, less its warning: it publishes the stored metrics after every
 * invocation and warns "No application metrics to publish" when there are none, which is every
 * webhook request (their counts go out as single metrics as they happen) and was most of the log
 * lines of a run. Here the buffer is published only when something was added to it.
 */
function publishMetrics(metrics: Metrics): MiddlewareObj {
  const publish = () => {
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  };
  return {
    before: (request) => {
      // Emitted once per instance, on its first invocation (Powertools tracks the cold start itself).
      metrics.captureColdStartMetric(request.context.functionName);
    },
    after: publish,
    onError: publish,
  };
}

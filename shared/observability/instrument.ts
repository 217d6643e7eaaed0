import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { Telemetry } from './telemetry.js';

/**
 * The one wiring of every function: the X-Ray handler subsegment, EMF metrics (with the cold-start
 * metric) and the logger with the Lambda context. Events and responses hold customer data (SQS
 * bodies, courier payloads), so the event is never logged, whatever POWERTOOLS_LOGGER_LOG_EVENT
 * says, and neither events nor responses go into traces.
 */
export function instrument<Event, Result>(handler: (event: Event, context: Context) => Promise<Result>, { logger, metrics, tracer }: Telemetry) {
  const traced = (event: Event, context: Context) => tracer.traceInvocation(process.env._HANDLER ?? 'handler', () => handler(event, context));
  return middy<Event, Result>(traced)
    .use(logMetrics(metrics, { captureColdStartMetric: true }))
    .use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }));
}

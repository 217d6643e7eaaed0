import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { Telemetry } from './telemetry.js';

/**
 * The one Powertools wiring of every function: tracer, EMF metrics (with the cold-start metric)
 * and the logger with the Lambda context. Events and responses hold customer data (SQS bodies,
 * courier payloads), so the event is never logged, whatever POWERTOOLS_LOGGER_LOG_EVENT says,
 * and responses are kept out of traces.
 */
export function instrument<Event, Result>(handler: (event: Event, context: Context) => Promise<Result>, { logger, metrics, tracer }: Telemetry) {
  return middy<Event, Result>(handler)
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(logMetrics(metrics, { captureColdStartMetric: true }))
    .use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }));
}

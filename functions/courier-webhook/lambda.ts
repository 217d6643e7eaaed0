import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import { createCourierWebhookHandler } from './app.js';
import { createCourierWebhookRuntime } from './runtime.js';

/**
 * The courier webhook as Lambda runs it (API Gateway HTTP API, payload v2,
 * `POST /couriers/{courier}/events`), built from an environment: the deployed one by default,
 * the local stack's when it serves this same handler. The invocation event holds the courier's
 * payload, so it is never logged (`logEvent: false` wins over POWERTOOLS_LOGGER_LOG_EVENT) and
 * responses are kept out of traces.
 */
export function createCourierWebhookLambda(env: NodeJS.ProcessEnv = process.env) {
  const runtime = createCourierWebhookRuntime(env);
  const { logger, metrics, tracer } = runtime.telemetry;
  return middy(createCourierWebhookHandler(runtime))
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(logMetrics(metrics, { captureColdStartMetric: true }))
    .use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }));
}

import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import { createCourierWebhookHandler } from './app.js';
import { createCourierWebhookRuntime } from './runtime.js';

/**
 * Lambda entry (API Gateway HTTP API, payload v2, `POST /couriers/{courier}/events`). The runtime
 * is built once per instance, at cold start. The invocation event holds the courier's payload, so
 * it is never logged (`logEvent: false` wins over POWERTOOLS_LOGGER_LOG_EVENT) and responses are
 * kept out of traces.
 */
const runtime = createCourierWebhookRuntime();
const { logger, metrics, tracer } = runtime.telemetry;

export const handler = middy(createCourierWebhookHandler(runtime))
  .use(captureLambdaHandler(tracer, { captureResponse: false }))
  .use(logMetrics(metrics, { captureColdStartMetric: true }))
  .use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }));

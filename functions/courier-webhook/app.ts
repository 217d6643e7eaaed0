import { instrument } from '../../shared/observability/instrument.js';
import { createCourierWebhookHandler } from './webhook.js';
import { createCourierWebhookRuntime } from './runtime.js';

/**
 * The courier webhook as Lambda runs it (API Gateway HTTP API, payload v2,
 * `POST /couriers/{courier}/events`), built from an environment: the deployed one by default,
 * the local stack's when it serves this same handler.
 */
export function createCourierWebhookLambda(env: NodeJS.ProcessEnv = process.env) {
  const runtime = createCourierWebhookRuntime(env);
  return instrument(createCourierWebhookHandler(runtime), runtime.telemetry);
}

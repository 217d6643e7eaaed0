import { createCourierWebhookLambda } from './app.js';

/** Lambda entry: the runtime is built once per instance, at cold start. */
export const handler = createCourierWebhookLambda();

import { createCourierWebhookLambda } from './lambda.js';

/** Lambda entry: the runtime is built once per instance, at cold start. */
export const handler = createCourierWebhookLambda();

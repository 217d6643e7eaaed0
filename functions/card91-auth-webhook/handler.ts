import { createAuthWebhookLambda } from './app.js';

/** Lambda entry: built once per instance, at cold start. */
export const handler = createAuthWebhookLambda();

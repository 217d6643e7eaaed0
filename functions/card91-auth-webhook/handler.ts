import { createAuthWebhookLambda } from './lambda.js';

/** Lambda entry: built once per instance, at cold start. */
export const handler = createAuthWebhookLambda();

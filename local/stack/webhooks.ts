import { createAuthWebhookLambda } from '../../functions/card91-auth-webhook/app.js';
import { startApiGatewayServer, type HttpLambdaHandler, type RunningApiGatewayServer } from '../http/api-gateway-server.js';
import { LOCAL_CARD91_SDK_AUTH_SECRETS } from '../worker-env.js';
import type { HostConfiguration } from './host-protocol.js';
import { CARD91_AUTH_PATH, COURIER_EVENTS_PATH } from './webhook-routes.js';

/**
 * The courier webhook's Lambda entry reads its environment when imported, so its variables are set
 * on this process first: the host is the functions' Lambda environment. They do not collide with the
 * queue workers' (COURIER_*, REPLAY_TABLE), which get their own environment objects anyway.
 */
async function courierWebhook(configuration: HostConfiguration): Promise<HttpLambdaHandler> {
  Object.assign(process.env, {
    COURIER_QUEUE_URL: configuration.resources.queues.courier.url,
    REPLAY_TABLE: configuration.resources.tables.webhookReplay,
    COURIERS_JSON: configuration.webhooks.couriersJson,
    COURIER_SECRETS_JSON: configuration.webhooks.courierSecretsJson,
  });
  const { handler } = await import('../../functions/courier-webhook/handler.js');
  return handler;
}

/** The webhooks' Lambda entries behind a local API Gateway (HTTP API v2) on 127.0.0.1, at the stack's routes. */
export async function startWebhooks(configuration: HostConfiguration): Promise<RunningApiGatewayServer & { routes: string[] }> {
  const routes: Record<string, HttpLambdaHandler> = {
    // Verifies the sdkAuthTokens the card-controls worker signs: the same published local secret.
    [`POST ${CARD91_AUTH_PATH}`]: createAuthWebhookLambda({
      POWERTOOLS_SERVICE_NAME: 'card91-auth-webhook',
      CARD91_SDK_AUTH_SECRETS_JSON: JSON.stringify(LOCAL_CARD91_SDK_AUTH_SECRETS),
    }),
    [`POST ${COURIER_EVENTS_PATH}`]: await courierWebhook(configuration),
  };
  const server = await startApiGatewayServer({ port: configuration.webhooks.port, routes });
  return { ...server, routes: Object.keys(routes) };
}

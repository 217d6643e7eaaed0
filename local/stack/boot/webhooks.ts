import { createAuthWebhookLambda } from '../../../functions/card91-auth-webhook/app.js';
import { createCourierWebhookLambda } from '../../../functions/courier-webhook/app.js';
import { startApiGatewayServer, type HttpLambdaHandler, type RunningApiGatewayServer } from '../../http/api-gateway-server.js';
import { LOCAL_CARD91_CALLER_SECRET, LOCAL_CARD91_SDK_AUTH_SECRETS } from '../../../shared/tooling/local-card91.js';
import type { HostConfiguration } from './host-protocol.js';
import { CARD91_AUTH_PATH, COURIER_EVENTS_PATH } from './webhook-routes.js';

/** The webhooks' Lambda entries behind a local API Gateway (HTTP API v2) on 127.0.0.1, at the stack's routes. */
export async function startWebhooks(configuration: HostConfiguration): Promise<RunningApiGatewayServer & { routes: string[] }> {
  const routes: Record<string, HttpLambdaHandler> = {
    // Verifies the sdkAuthTokens the card-controls worker signs (the same published local secret), for the
    // Card91 sandbox, which sends the published caller secret; accepted tokens are remembered in the local table.
    [`POST ${CARD91_AUTH_PATH}`]: createAuthWebhookLambda({
      ...process.env,
      POWERTOOLS_SERVICE_NAME: 'card91-auth-webhook',
      CARD91_SDK_AUTH_SECRETS_JSON: JSON.stringify(LOCAL_CARD91_SDK_AUTH_SECRETS),
      CARD91_CALLER_SECRET_JSON: JSON.stringify(LOCAL_CARD91_CALLER_SECRET),
      REPLAY_TABLE: configuration.resources.tables.webhookReplay,
    }),
    [`POST ${COURIER_EVENTS_PATH}`]: createCourierWebhookLambda({
      ...process.env,
      POWERTOOLS_SERVICE_NAME: 'courier-webhook',
      COURIER_QUEUE_URL: configuration.resources.queues.courier.url,
      REPLAY_TABLE: configuration.resources.tables.webhookReplay,
      STATE_TABLE: configuration.resources.tables.integrationState,
      COURIERS_JSON: configuration.webhooks.couriersJson,
      COURIER_SECRETS_JSON: configuration.webhooks.courierSecretsJson,
    }),
  };
  const server = await startApiGatewayServer({ port: configuration.webhooks.port, routes });
  return { ...server, routes: Object.keys(routes) };
}

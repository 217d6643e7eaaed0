import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createCourierWebhookHandler } from '../../functions/courier-webhook/app.js';
import type { CourierSettingsInput } from '../../functions/courier-webhook/couriers.js';
import { createCourierWebhookRuntime } from '../../functions/courier-webhook/runtime.js';
import type { CourierSecrets } from '../../functions/courier-webhook/secrets.js';
import { LOCAL_AWS, createResources, startEmulators, type LocalResources } from '../emulators.js';
import { startApiGatewayServer, type RunningApiGatewayServer } from './api-gateway-server.js';

/**
 * The courier webhook on the local API Gateway, wired as the deployed function is (same runtime,
 * same environment variables), with local couriers and keys in place of SSM and Secrets Manager.
 *
 *   npx tsx local/http/courier-webhook.ts          # own emulators, http://127.0.0.1:3000
 *
 * With AWS_ENDPOINT_URL_SQS / AWS_ENDPOINT_URL_DYNAMODB set (a running local stack), those are used.
 */

export const COURIER_EVENTS_ROUTE = 'POST /couriers/{courier}/events';

/** For local runs only: published here on purpose, so anyone can sign a request to the local server. */
export const LOCAL_SIGNING_KEY = 'local-only-courier-signing-key-0123456789';

export const LOCAL_COURIERS: CourierSettingsInput[] = [
  { courier: 'bluedart', tenant: 'ACME_BANK', format: 'bluedart', secretId: 'local/couriers/bluedart', statusCodes: { 'RT/BRC': 'BANK' } },
  { courier: 'acme-courier', tenant: 'ACME_BANK', format: 'generic', secretId: 'local/couriers/acme-courier' },
];

const LOCAL_SECRETS: Record<string, CourierSecrets> = Object.fromEntries(LOCAL_COURIERS.map((c) => [c.secretId, { current: LOCAL_SIGNING_KEY }]));

export interface LocalCourierWebhookOptions {
  resources: LocalResources;
  port: number;
  couriers?: readonly CourierSettingsInput[];
  secrets?: Readonly<Record<string, CourierSecrets>>;
}

/** The deployed function's environment, pointed at local resources. */
export function localCourierWebhookEnv(options: Omit<LocalCourierWebhookOptions, 'port'>): NodeJS.ProcessEnv {
  return {
    ...process.env,
    POWERTOOLS_SERVICE_NAME: 'courier-webhook',
    COURIER_QUEUE_URL: options.resources.queues.courier.url,
    REPLAY_TABLE: options.resources.tables.webhookReplay,
    COURIERS_JSON: JSON.stringify(options.couriers ?? LOCAL_COURIERS),
    COURIER_SECRETS_JSON: JSON.stringify(options.secrets ?? LOCAL_SECRETS),
  };
}

/** Needs AWS_ENDPOINT_URL_SQS and AWS_ENDPOINT_URL_DYNAMODB in the environment, as the SDK reads them there. */
export async function startLocalCourierWebhook(options: LocalCourierWebhookOptions): Promise<RunningApiGatewayServer> {
  const handler = createCourierWebhookHandler(createCourierWebhookRuntime(localCourierWebhookEnv(options)));
  return startApiGatewayServer({ port: options.port, routes: { [COURIER_EVENTS_ROUTE]: handler } });
}

async function main(): Promise<void> {
  process.env.AWS_REGION ??= LOCAL_AWS.region;
  process.env.AWS_ACCESS_KEY_ID ??= LOCAL_AWS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY ??= LOCAL_AWS.secretAccessKey;
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  const own = process.env.AWS_ENDPOINT_URL_SQS && process.env.AWS_ENDPOINT_URL_DYNAMODB ? undefined : await startEmulators({ dynamoPort: 8001, sqsPort: 4567 });
  if (own) {
    process.env.AWS_ENDPOINT_URL_SQS = own.sqsEndpoint;
    process.env.AWS_ENDPOINT_URL_DYNAMODB = own.dynamoEndpoint;
  }
  const sqs = new SQSClient({ endpoint: process.env.AWS_ENDPOINT_URL_SQS });
  const resources = await createResources(sqs, new DynamoDBClient({}), { prefix: 'local' });
  const server = await startLocalCourierWebhook({ resources, port: Number(process.env.PORT ?? 3000) });
  console.log(`courier webhook: ${server.url}/couriers/{courier}/events (couriers: ${LOCAL_COURIERS.map((c) => c.courier).join(', ')})`);
  console.log(`queue: ${resources.queues.courier.url}`);
  console.log(`sign:  COURIER_SIGNING_SECRET=${LOCAL_SIGNING_KEY} npx tsx local/ops/sign.ts --courier bluedart --file body.json`);
  const stop = async () => {
    await server.close();
    await own?.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

if (import.meta.main) await main();

import { Duration } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import type { webhookEnv } from '../../../shared/config/courier-webhook-env.js';
import type { StageSettings } from '../../config/app-config.js';
import { IntegrationFunction, type FunctionSettings } from '../../constructs/integration-function.js';
import type { VariablesOf } from '../../constructs/queue-worker.js';
import { WebhookApi } from '../../constructs/webhook-api.js';
import type { StageQueues, StageTables } from './queues-and-tables.js';
import type { RuntimeConfiguration } from './runtime-configuration.js';

/** What the webhooks are built from. */
export interface WebhooksInput {
  settings: StageSettings;
  functions: FunctionSettings;
  queues: StageQueues;
  tables: StageTables;
  configuration: RuntimeConfiguration;
}

/** The partner webhooks: the API and the function behind each of its routes. */
export interface StageWebhooks {
  api: WebhookApi;
  card91Auth: IntegrationFunction;
  courier: IntegrationFunction;
}

/** Webhooks: one function and one declared route each, each route with its own throttle. */
export function createWebhooks(scope: Construct, input: WebhooksInput): StageWebhooks {
  const { functions } = input;
  const api = new WebhookApi(scope, 'Webhooks', { prefix: functions.prefix, key: functions.key, logRetention: functions.logRetention, routes: input.settings.webhooks.routes });
  const card91Auth = createCard91AuthWebhook(scope, input);
  api.route('card91Auth', card91Auth);
  const courier = createCourierWebhook(scope, input);
  api.route('courierEvents', courier);
  return { api, card91Auth, courier };
}

/** Card91's login check: verifies the sdkAuthToken card-controls minted. */
function createCard91AuthWebhook(scope: Construct, { functions, configuration }: WebhooksInput): IntegrationFunction {
  const { card91SdkAuth } = configuration.secrets;
  const card91Auth = new IntegrationFunction(scope, 'Card91AuthWebhook', {
    service: 'card91-auth-webhook',
    settings: functions,
    // Card91 waits on this answer during a customer's login: fail fast rather than hold the login.
    timeout: Duration.seconds(10),
    environment: { CARD91_SDK_AUTH_SECRETS_ID: card91SdkAuth.secretArn },
  });
  card91Auth.readSecrets(card91SdkAuth);
  return card91Auth;
}

/** The couriers' scans: authenticated, deduplicated, and queued for the courier worker. */
function createCourierWebhook(scope: Construct, { functions, queues, tables, configuration }: WebhooksInput): IntegrationFunction {
  const { couriersParameter, secrets } = configuration;
  const courierWebhook = new IntegrationFunction(scope, 'CourierWebhook', {
    service: 'courier-webhook',
    settings: functions,
    // The courier waits on the line; its own retry of a failed request is the longer loop.
    timeout: Duration.seconds(10),
    environment: {
      COURIER_QUEUE_URL: queues.courier.queue.queueUrl,
      REPLAY_TABLE: tables.webhookReplay.tableName,
      STATE_TABLE: tables.integrationState.tableName,
      COURIERS_PARAMETER: couriersParameter.parameterName,
    } satisfies VariablesOf<typeof webhookEnv>,
  });
  courierWebhook.allow(['sqs:SendMessage'], [queues.courier.queue.queueArn]);
  courierWebhook.allow(['kms:Decrypt', 'kms:GenerateDataKey'], [functions.key.keyArn]);
  courierWebhook.allow(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'], [tables.webhookReplay.tableArn]);
  // The AWB index (shared/persistence/awb-index.ts) and nothing else of the integration state: its items only.
  courierWebhook.function.addToRolePolicy(
    new PolicyStatement({
      actions: ['dynamodb:BatchGetItem', 'dynamodb:PutItem'],
      resources: [tables.integrationState.tableArn],
      conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['AWB#*'] } },
    }),
  );
  courierWebhook.allow(['ssm:GetParameter'], [couriersParameter.parameterArn]);
  courierWebhook.readSecrets(...secrets.couriers);
  return courierWebhook;
}

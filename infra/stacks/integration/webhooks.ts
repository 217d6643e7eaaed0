import { Duration } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { TOKEN_KEY_PREFIX } from '../../../shared/card91/auth-webhook-contract.js';
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

/** Stages behind CloudFront: every webhook refuses what did not come through it (shared/edge/origin.ts). */
function checkOrigin(handler: IntegrationFunction, { originVerify }: RuntimeConfiguration['secrets']): void {
  if (originVerify === undefined) return;
  handler.function.addEnvironment('ORIGIN_VERIFY_SECRET_ID', originVerify.secretArn);
  handler.readSecrets(originVerify);
}

/** Card91's login check: a caller holding Card91's secret, an sdkAuthToken card-controls minted, used once. */
function createCard91AuthWebhook(scope: Construct, { functions, tables, configuration }: WebhooksInput): IntegrationFunction {
  const { card91SdkAuth, card91AuthCaller } = configuration.secrets;
  const card91Auth = new IntegrationFunction(scope, 'Card91AuthWebhook', {
    service: 'card91-auth-webhook',
    settings: functions,
    // Card91 waits on this answer during a customer's login: fail fast rather than hold the login.
    timeout: Duration.seconds(10),
    environment: {
      CARD91_SDK_AUTH_SECRETS_ID: card91SdkAuth.secretArn,
      CARD91_CALLER_SECRET_ID: card91AuthCaller.secretArn,
      REPLAY_TABLE: tables.webhookReplay.tableName,
    },
  });
  card91Auth.readSecrets(card91SdkAuth, card91AuthCaller);
  checkOrigin(card91Auth, configuration.secrets);
  // Remembering an accepted token is one conditional put, on this webhook's own items of the replay table.
  card91Auth.function.addToRolePolicy(
    new PolicyStatement({
      actions: ['dynamodb:PutItem'],
      resources: [tables.webhookReplay.tableArn],
      conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${TOKEN_KEY_PREFIX}*`] } },
    }),
  );
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
  checkOrigin(courierWebhook, secrets);
  return courierWebhook;
}

import { CfnOutput, Duration, RemovalPolicies, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret, type SecretStringGenerator } from 'aws-cdk-lib/aws-secretsmanager';
import { ParameterTier, StringParameter } from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import type { webhookEnv } from '../../functions/courier-webhook/config.js';
import { QUEUES, TABLES, type QueueDescription } from '../../shared/config/resources.js';
import { deliveryStatus } from '../../shared/contracts/courier-kit-status.js';
import { GROUP_CONCURRENCY } from '../../shared/worker/record-batch.js';
import type { StageSettings } from '../config/app-config.js';
import { assertDcmsBudget, type DcmsLoad } from '../config/dcms-concurrency.js';
import { Card91Worker } from '../constructs/card91-worker.js';
import { DataKey } from '../constructs/data-key.js';
import { DcmsWorker, type DcmsAccess } from '../constructs/dcms-worker.js';
import { IntegrationFunction, type FunctionSettings } from '../constructs/integration-function.js';
import { IntegrationTable } from '../constructs/integration-table.js';
import { Monitoring } from '../constructs/monitoring.js';
import type { VariablesOf, WorkerCommon } from '../constructs/queue-worker.js';
import { SmokeTestAccess } from '../constructs/smoke-test-access.js';
import { WebhookApi } from '../constructs/webhook-api.js';
import { WebhookEdge } from '../constructs/webhook-edge.js';
import { WorkerQueue } from '../constructs/worker-queue.js';

export interface IntegrationStackProps extends StackProps {
  settings: StageSettings;
  /** The web ACL of the stage's edge stack, when the stage's flood defence is `cloudfront-waf`. */
  webAclArn?: string;
  /** The account the pipeline runs in, whose smoke test may take the stage's smoke-test role (stages with `smokeTest`). */
  pipelineAccount?: string;
}

/**
 * Records of one core-banking FIFO batch that run side by side: one per message group, up to
 * GROUP_CONCURRENCY. A customer's group holds its customer.created and then its account.opened, one
 * after the other, so a full batch of 10 is about 5 groups: 5 DCMS calls in flight per instance.
 */
const CORE_BANKING_CALLS_IN_FLIGHT = Math.min(QUEUES.coreBanking.batchSize, GROUP_CONCURRENCY) / 2;

/**
 * What each real-time DCMS worker is sized to fill of each tenant's DCMS limit (dcms-concurrency.ts);
 * the fleet-wide budget, not these ceilings, keeps the tenant under it. Core banking gets most of it:
 * one or two calls per event, where a courier call carries up to a whole batch of kits.
 */
const DCMS_LOAD = {
  coreBanking: { share: 0.75, callsInFlight: CORE_BANKING_CALLS_IN_FLIGHT },
  // One deliveryStatus call per (tenant, status) group of a batch, the groups in parallel.
  courier: { share: 0.25, callsInFlight: deliveryStatus.options.length },
} as const satisfies Record<string, DcmsLoad>;

/** The bulk lane: the core-banking code on its own queue, sized to fill the share of the budget its lane may take. */
const bulkLoad = (bulkShare: number): DcmsLoad => ({ share: bulkShare, callsInFlight: CORE_BANKING_CALLS_IN_FLIGHT });

/** The bulk lane's oldest-message threshold: half its retry budget. */
export const bulkBacklogAlarmSeconds = (queue: QueueDescription): number => queue.retry.budgetSeconds / 2;

/** Resource types that hold data or audit trails: kept in production, removed with a dev stack. */
const STATEFUL_TYPES = ['AWS::DynamoDB::Table', 'AWS::SQS::Queue', 'AWS::SecretsManager::Secret', 'AWS::KMS::Key', 'AWS::Logs::LogGroup'];

/** One stage of the card-issuance integration: queues, tables, configuration, workers, webhooks, monitoring. */
export class IntegrationStack extends Stack {
  /** Base URL partners call (the smoke test calls it too). */
  readonly webhooksUrl: CfnOutput;

  constructor(scope: Construct, id: string, props: IntegrationStackProps) {
    super(scope, id, props);
    const { settings } = props;
    const prefix = settings.resourcePrefix;
    const { key } = new DataKey(this, 'DataKey', { prefix });
    const functions: FunctionSettings = {
      prefix,
      key,
      logLevel: settings.logLevel,
      loggerSampleRate: settings.loggerSampleRate,
      logRetention: settings.logRetentionDays as RetentionDays,
      reserveWorkerConcurrency: settings.reserveWorkerConcurrency,
    };

    // Queues and tables, built from the one shared description (the local stack builds the same).
    const queue = (id: string, description: (typeof QUEUES)[keyof typeof QUEUES]) => new WorkerQueue(this, id, { description, prefix, key });
    const queues = {
      coreBanking: queue('CoreBankingQueue', QUEUES.coreBanking),
      coreBankingBulk: queue('CoreBankingBulkQueue', QUEUES.coreBankingBulk),
      courier: queue('CourierQueue', QUEUES.courier),
      cardControls: queue('CardControlsQueue', QUEUES.cardControls),
    };
    const table = (id: string, description: (typeof TABLES)[keyof typeof TABLES]) =>
      new IntegrationTable(this, id, { description, prefix, key, deletionProtection: settings.retainData }).table;
    const tables = {
      idempotency: table('IdempotencyTable', TABLES.idempotency),
      integrationState: table('IntegrationStateTable', TABLES.integrationState),
      webhookReplay: table('WebhookReplayTable', TABLES.webhookReplay),
    };

    // Configuration read at run time: the tenants document (no secret) in SSM, credentials in Secrets Manager.
    // No secret value is in code or a template: operators set the DCMS and Card91 ones (the descriptions give the
    // shape), Secrets Manager generates the courier keys.
    const tenantsParameter = new StringParameter(this, 'TenantsParameter', {
      parameterName: `/${prefix}/tenants`,
      description: 'Tenants document of the DCMS workers (shared/config/tenants.ts)',
      stringValue: JSON.stringify(settings.tenants),
      tier: ParameterTier.INTELLIGENT_TIERING,
    });
    const secret = (id: string, name: string, props: { description: string; whyNotRotated: string; generateSecretString?: SecretStringGenerator }) => {
      const created = new Secret(this, id, { secretName: `${prefix}/${name}`, description: props.description, encryptionKey: key, generateSecretString: props.generateSecretString });
      Validations.of(created).acknowledge({ id: 'AwsSolutions-SMG4', reason: props.whyNotRotated });
      return created;
    };
    const secrets = {
      dcmsCredentials: secret('DcmsCredentials', 'dcms-credentials', {
        description: 'DCMS API users: {"<TENANT>": {"username": "…", "password": "…"}}',
        whyNotRotated: 'DCMS users are issued by M2P per tenant at onboarding; a rotation is an exchange with M2P, so a Lambda rotator cannot create the new credential. Operators rotate by runbook; the workers re-read within 5 minutes.',
      }),
      card91SdkAuth: secret('Card91SdkAuthSigning', 'card91-sdk-auth-signing', {
        description: 'sdkAuthToken keys: [{"kid": "…", "secret": "≥32 chars"}]; card-controls signs with the first, the auth webhook verifies with all',
        whyNotRotated: 'Rotated by the two-key overlap the document supports (add a kid first, drop the old one after the token lifetime), in step with the app that mints tokens; a single-value rotator would break live logins.',
      }),
      // One HMAC key per courier integration, generated here in the shape the webhook reads; handed to the courier out of band.
      couriers: settings.couriers.map((c) =>
        secret(`CourierSecret-${c.courier}`, `couriers/${c.courier}`, {
          description: `Keys of courier integration ${c.courier} (HMAC keys, or tokens for a token integration): {"current": "…", "previous": "…"}`,
          whyNotRotated: 'The courier must receive each new key out of band before it signs with it; rotation is the current/previous overlap of the runbook, not something AWS can complete alone.',
          generateSecretString: { secretStringTemplate: '{}', generateStringKey: 'current', passwordLength: 64, excludePunctuation: true },
        }),
      ),
    };
    const couriersParameter = new StringParameter(this, 'CouriersParameter', {
      parameterName: `/${prefix}/couriers`,
      description: 'Courier integrations of the courier webhook (functions/courier-webhook/couriers.ts)',
      stringValue: this.toJsonString(settings.couriers.map((c, i) => ({ ...c, secretId: secrets.couriers[i]!.secretArn }))),
      tier: ParameterTier.INTELLIGENT_TIERING,
    });

    const monitoring = new Monitoring(this, 'Monitoring', { prefix, key, email: settings.alarms.email });

    // Queue workers calling DCMS: one declaration each.
    assertDcmsBudget(Object.values(DCMS_LOAD));
    const common: WorkerCommon = { idempotencyTable: tables.idempotency, tenantsParameter };
    const dcms: DcmsAccess = {
      baseUrl: settings.dcms.baseUrl,
      typicalLatencyMs: settings.dcms.typicalLatencyMs,
      bulkShare: settings.dcms.bulkShare,
      tenants: settings.tenants,
      credentials: secrets.dcmsCredentials,
      stateTable: tables.integrationState,
    };
    const coreBankingStateActions = ['dynamodb:UpdateItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem']; // KitLedger.recordIssued, PendingSends
    const coreBanking = new DcmsWorker(this, 'CoreBankingEvents', {
      service: 'core-banking-events',
      lane: 'realtime',
      functions,
      queue: queues.coreBanking,
      common,
      dcms,
      load: DCMS_LOAD.coreBanking,
      stateTableActions: coreBankingStateActions,
    });
    // The bulk lane (a bank's existing book, loaded by `ops import`): the same code and rights on its own queue,
    // drawing from the bulk lane of each tenant's budget so that real-time events keep theirs.
    const coreBankingBulk = new DcmsWorker(this, 'CoreBankingBulk', {
      service: 'core-banking-bulk',
      functionDir: 'core-banking-events',
      lane: 'bulk',
      functions,
      queue: queues.coreBankingBulk,
      common,
      dcms,
      load: bulkLoad(settings.dcms.bulkShare),
      stateTableActions: coreBankingStateActions,
    });
    const courier = new DcmsWorker(this, 'CourierEvents', {
      service: 'courier-events',
      lane: 'realtime',
      functions,
      queue: queues.courier,
      common,
      dcms,
      load: DCMS_LOAD.courier,
      stateTableActions: ['dynamodb:UpdateItem', 'dynamodb:PutItem'], // KitLedger.claimNewest, releaseKit, appendHistory
    });
    monitoring.watchWorker(coreBanking.worker, 'dcms');
    // A migration is a backlog by design (a million events take about 3.5 h at 80 req/s): its oldest message pages
    // at half the retry budget, when the load is stuck or far behind, not an hour into every import.
    monitoring.watchWorker(coreBankingBulk.worker, 'dcms', { oldestMessageSeconds: bulkBacklogAlarmSeconds(QUEUES.coreBankingBulk) });
    monitoring.watchWorker(courier.worker, 'dcms');

    // Queue workers calling Card91: one declaration each.
    const cardControls = new Card91Worker(this, 'CardControls', {
      service: 'card-controls',
      functions,
      queue: queues.cardControls,
      common,
      card91: { ...settings.card91, sdkAuthSecrets: secrets.card91SdkAuth },
    });
    monitoring.watchWorker(cardControls.worker, 'card91');

    // Webhooks: one function and one declared route each, each route with its own throttle.
    const webhooks = new WebhookApi(this, 'Webhooks', { prefix, key, logRetention: functions.logRetention, routes: settings.webhooks.routes });
    const card91Auth = new IntegrationFunction(this, 'Card91AuthWebhook', {
      service: 'card91-auth-webhook',
      settings: functions,
      // Card91 waits on this answer during a customer's login: fail fast rather than hold the login.
      timeout: Duration.seconds(10),
      environment: { CARD91_SDK_AUTH_SECRETS_ID: secrets.card91SdkAuth.secretArn },
    });
    card91Auth.readSecrets(secrets.card91SdkAuth);
    webhooks.route('card91Auth', card91Auth);

    const courierWebhook = new IntegrationFunction(this, 'CourierWebhook', {
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
    courierWebhook.allow(['kms:Decrypt', 'kms:GenerateDataKey'], [key.keyArn]);
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
    webhooks.route('courierEvents', courierWebhook);

    monitoring.watchApi(webhooks);
    monitoring.watchWebhook(card91Auth, { metric: 'LoginValidations', by: 'outcome' });
    monitoring.watchWebhook(courierWebhook, { metric: 'WebhookRequests', by: 'outcome' });

    RemovalPolicies.of(this).apply(settings.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY, { applyToResourceTypes: STATEFUL_TYPES });

    // What partners call: the edge (CloudFront and WAF) where the stage has one, else the API itself.
    const { floodDefence } = settings.webhooks;
    let webhooksUrl = webhooks.stage.url;
    if (floodDefence.mode === 'cloudfront-waf') {
      if (props.webAclArn === undefined) throw new Error(`${prefix}: flood defence cloudfront-waf needs the edge stack's web ACL`);
      const edge = new WebhookEdge(this, 'WebhookEdge', { prefix, api: webhooks, defence: floodDefence, webAclArn: props.webAclArn });
      webhooksUrl = edge.url;
      new CfnOutput(this, 'WebhooksDistributionDomain', { value: edge.distribution.distributionDomainName, description: `CNAME target of ${floodDefence.domainName}` });
    }

    if (settings.smokeTest) {
      if (props.pipelineAccount === undefined) throw new Error(`${prefix}: a smoke test needs the pipeline's account`);
      const smokeCourier = settings.couriers.findIndex((c) => c.courier === settings.smokeTest!.courier);
      new SmokeTestAccess(this, 'SmokeTest', {
        prefix,
        pipelineAccount: props.pipelineAccount,
        key,
        courierSecret: secrets.couriers[smokeCourier]!,
        coreBankingQueue: queues.coreBanking.queue,
        watchedQueues: Object.values(queues).flatMap((q) => [q.queue, q.deadLetterQueue]),
      });
    }

    this.webhooksUrl = new CfnOutput(this, 'WebhooksUrl', { value: webhooksUrl, description: 'Base URL of the partner webhooks' });
    new CfnOutput(this, 'AlarmTopicArn', { value: monitoring.topic.topicArn, description: 'Subscribe the on-call channel here' });
    new CfnOutput(this, 'DashboardName', { value: monitoring.dashboard.dashboardName });
  }
}

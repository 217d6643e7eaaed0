import { CfnOutput, RemovalPolicies, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { StageSettings } from '../config/app-config.js';
import { DataKey } from '../constructs/data-key.js';
import type { FunctionSettings } from '../constructs/integration-function.js';
import { Monitoring } from '../constructs/monitoring.js';
import { SmokeTestAccess } from '../constructs/smoke-test-access.js';
import { StageNetwork } from '../constructs/stage-network.js';
import type { WebhookApi } from '../constructs/webhook-api.js';
import { WebhookEdge } from '../constructs/webhook-edge.js';
import { watchFlows } from './integration/flow-monitoring.js';
import { exportProducerAccess } from './integration/producers.js';
import { createQueues, createTables, type StageQueues } from './integration/queues-and-tables.js';
import { createQueueWorkers } from './integration/queue-workers.js';
import { createRuntimeConfiguration, type StageSecrets } from './integration/runtime-configuration.js';
import { createWebhooks } from './integration/webhooks.js';

export interface IntegrationStackProps extends StackProps {
  settings: StageSettings;
  /** The web ACL of the stage's edge stack, when the stage's flood defence is `cloudfront-waf`. */
  webAclArn?: string;
  /** The account the pipeline runs in, whose smoke test may take the stage's smoke-test role (stages with `smokeTest`). */
  pipelineAccount?: string;
}

/** Resource types that hold data or audit trails: kept in production, removed with a dev stack. */
const STATEFUL_TYPES = ['AWS::DynamoDB::Table', 'AWS::SQS::Queue', 'AWS::SecretsManager::Secret', 'AWS::KMS::Key', 'AWS::Logs::LogGroup'];

/** What every function of the stage shares. */
const functionSettings = (settings: StageSettings, key: IKey, network?: StageNetwork): FunctionSettings => ({
  prefix: settings.resourcePrefix,
  key,
  logLevel: settings.logLevel,
  loggerSampleRate: settings.loggerSampleRate,
  traces: settings.traces,
  logRetention: settings.logRetentionDays as RetentionDays,
  reserveWorkerConcurrency: settings.reserveWorkerConcurrency,
  ...(network && { network: network.functions }),
});

/**
 * One stage of the card-issuance integration: queues, tables, configuration, workers, webhooks,
 * monitoring. Every step builds directly in this stack (no construct of its own), so the logical
 * ids of tables and queues are those of the resources already deployed.
 */
export class IntegrationStack extends Stack {
  /** Base URL partners call (the smoke test calls it too). */
  readonly webhooksUrl: CfnOutput;
  /** The stage's availability zones where its settings name them (network mode `vpc`). */
  private readonly zones?: string[];

  constructor(scope: Construct, id: string, props: IntegrationStackProps) {
    super(scope, id, props);
    const { settings } = props;
    if (settings.network.mode === 'vpc') this.zones = settings.network.availabilityZones;
    const prefix = settings.resourcePrefix;
    const { key } = new DataKey(this, 'DataKey', { prefix });
    const network =
      settings.network.mode === 'vpc' ? new StageNetwork(this, 'Network', { prefix, settings: settings.network, key, logRetention: settings.logRetentionDays as RetentionDays }) : undefined;
    const functions = functionSettings(settings, key, network);

    const queues = createQueues(this, { prefix, key });
    exportProducerAccess(this, { prefix, key, queues });
    const tables = createTables(this, { prefix, key }, settings.retainData);
    const configuration = createRuntimeConfiguration(this, settings, key);
    const monitoring = new Monitoring(this, 'Monitoring', { prefix, key, email: settings.alarms.email });
    const workers = createQueueWorkers(this, { settings, functions, queues, tables, configuration });
    const webhooks = createWebhooks(this, { settings, functions, queues, tables, configuration });
    watchFlows(monitoring, workers, webhooks);
    RemovalPolicies.of(this).apply(settings.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY, { applyToResourceTypes: STATEFUL_TYPES });

    const webhooksUrl = this.partnerUrl(props, webhooks.api, configuration.secrets);
    if (settings.smokeTest) this.grantSmokeTest(props, key, queues, configuration.secrets);

    this.webhooksUrl = new CfnOutput(this, 'WebhooksUrl', { value: webhooksUrl, description: 'Base URL of the partner webhooks' });
    new CfnOutput(this, 'AlarmTopicArn', { value: monitoring.topic.topicArn, description: 'Subscribe the on-call channel here' });
    new CfnOutput(this, 'DashboardName', { value: monitoring.dashboard.dashboardName });
  }

  /**
   * The zones from the settings, never looked up: otherwise the VPC asks the account for its zones,
   * which needs credentials at synth (and the pipeline's synth has none in the stage accounts).
   */
  override get availabilityZones(): string[] {
    return this.zones ?? super.availabilityZones;
  }

  /** What partners call: the edge (CloudFront and WAF) where the stage has one, else the API itself. */
  private partnerUrl({ settings, webAclArn }: IntegrationStackProps, api: WebhookApi, { originVerify }: StageSecrets): string {
    const { floodDefence } = settings.webhooks;
    if (floodDefence.mode !== 'cloudfront-waf') return api.stage.url;
    if (webAclArn === undefined || originVerify === undefined) throw new Error(`${settings.resourcePrefix}: flood defence cloudfront-waf needs the edge stack's web ACL and the origin secret`);
    const edge = new WebhookEdge(this, 'WebhookEdge', { prefix: settings.resourcePrefix, api, defence: floodDefence, webAclArn, originSecret: originVerify });
    new CfnOutput(this, 'WebhooksDistributionDomain', { value: edge.distribution.distributionDomainName, description: `CNAME target of ${floodDefence.domainName}` });
    return edge.url;
  }

  /** The role the pipeline's smoke test takes in this stage (infra/smoke/run.ts). */
  private grantSmokeTest({ settings, pipelineAccount }: IntegrationStackProps, key: IKey, queues: StageQueues, secrets: StageSecrets): void {
    const prefix = settings.resourcePrefix;
    if (pipelineAccount === undefined) throw new Error(`${prefix}: a smoke test needs the pipeline's account`);
    const smokeCourier = settings.couriers.findIndex((c) => c.courier === settings.smokeTest!.courier);
    new SmokeTestAccess(this, 'SmokeTest', {
      prefix,
      pipelineAccount,
      key,
      courierSecret: secrets.couriers[smokeCourier]!,
      coreBankingQueue: queues.coreBanking.queue,
      watchedQueues: Object.values(queues).flatMap((q) => [q.queue, q.deadLetterQueue]),
    });
  }
}

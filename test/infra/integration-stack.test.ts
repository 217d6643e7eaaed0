import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { dcmsMaxConcurrency } from '../../infra/config/dcms-concurrency.js';
import { IntegrationFunction } from '../../infra/constructs/integration-function.js';
import { ALARM_POLICY, API_METRICS_NAMESPACE, dlqExpiryAlarmSeconds } from '../../infra/constructs/monitoring.js';
import {
  DEFAULT_RETRY_POLICY,
  QUEUES,
  TABLES,
  WEBHOOK_ROUTES,
  oldestMessageAlarmSeconds,
  queueName,
  safetyNetReceiveCount,
  tableName,
  visibilityTimeoutSeconds,
  webhookRouteKey,
  type WebhookRouteName,
} from '../../shared/config/resources.js';
import { deliveryStatus } from '../../shared/contracts/courier-kit-status.js';
import { getAtt, logicalIdOf, permissionsOf, ref, synthStage } from './support.js';

const dev = synthStage('dev');
const prod = synthStage('prod');
const { template, settings } = dev;
const prefix = settings.resourcePrefix;
const keyId = Object.keys(template.findResources('AWS::KMS::Key'))[0]!;
const queueId = (key: keyof typeof QUEUES, dlq = false) => logicalIdOf(template, 'AWS::SQS::Queue', 'QueueName', queueName(prefix, QUEUES[key], dlq));
const tableId = (key: keyof typeof TABLES) => logicalIdOf(template, 'AWS::DynamoDB::Table', 'TableName', tableName(prefix, TABLES[key]));
const secretId = (name: string) => logicalIdOf(template, 'AWS::SecretsManager::Secret', 'Name', `${prefix}/${name}`);
const fnName = (service: string) => `${prefix}-${service}`;

describe('queues, from the shared description', () => {
  it.each(Object.keys(QUEUES) as (keyof typeof QUEUES)[])('%s: DLQ with redrive, retention, redrive-allow, KMS', (key) => {
    const description = QUEUES[key];
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: queueName(prefix, description),
      VisibilityTimeout: visibilityTimeoutSeconds(description),
      RedrivePolicy: { deadLetterTargetArn: getAtt(queueId(key, true)), maxReceiveCount: description.maxReceiveCount },
      KmsMasterKeyId: getAtt(keyId),
      ...(description.fifo ? { FifoQueue: true } : { FifoQueue: Match.absent() }),
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: queueName(prefix, description, true),
      MessageRetentionPeriod: description.dlqRetentionDays * 86_400,
      RedriveAllowPolicy: { redrivePermission: 'byQueue', sourceQueueArns: [`arn:aws:sqs:${settings.region}:${settings.account}:${queueName(prefix, description)}`] },
      KmsMasterKeyId: getAtt(keyId),
    });
  });

  it('core banking is a high-throughput FIFO queue', () => {
    expect(QUEUES.coreBanking.fifo && QUEUES.coreBanking.highThroughputFifo).toBe(true);
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: queueName(prefix, QUEUES.coreBanking),
      FifoQueue: true,
      DeduplicationScope: 'messageGroup',
      FifoThroughputLimit: 'perMessageGroupId',
    });
  });

  it('visibility timeout is six times the function timeout', () => {
    for (const [key, description] of Object.entries(QUEUES)) {
      const fn = template.toJSON().Resources[logicalIdOf(template, 'AWS::SQS::Queue', 'QueueName', queueName(prefix, description))];
      expect(fn.Properties.VisibilityTimeout, key).toBe(description.functionTimeoutSeconds * 6);
    }
  });

  it('every queue refuses plain HTTP', () => {
    const policies = template.findResources('AWS::SQS::QueuePolicy');
    expect(Object.keys(policies)).toHaveLength(Object.keys(QUEUES).length * 2);
    template.allResourcesProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });
});

describe('workers', () => {
  // A core-banking instance runs about 5 records at once: 10 per batch, a customer's two events one after the other in its group.
  const workers = [
    { service: 'core-banking-events', queue: 'coreBanking', lane: 'realtime', load: { share: 0.75, callsInFlight: 5 } },
    { service: 'core-banking-bulk', queue: 'coreBankingBulk', lane: 'bulk', load: { share: settings.dcms.bulkShare, callsInFlight: 5 } },
    { service: 'courier-events', queue: 'courier', lane: 'realtime', load: { share: 0.25, callsInFlight: deliveryStatus.options.length } },
  ] as const;

  it.each(workers)('$service: batch settings from the description, partial batch responses, maxConcurrency from the DCMS limits', ({ service, queue, load }) => {
    const description = QUEUES[queue];
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: getAtt(queueId(queue)),
      FunctionName: ref(logicalIdOf(template, 'AWS::Lambda::Function', 'FunctionName', fnName(service))),
      BatchSize: description.batchSize,
      MaximumBatchingWindowInSeconds: description.fifo ? Match.absent() : description.batchingWindowSeconds,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: dcmsMaxConcurrency(settings.tenants, load, settings.dcms.typicalLatencyMs) },
    });
  });

  it('card-controls: batch settings from the description, the configured Card91 ceiling', () => {
    const description = QUEUES.cardControls;
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: getAtt(queueId('cardControls')),
      FunctionName: ref(logicalIdOf(template, 'AWS::Lambda::Function', 'FunctionName', fnName('card-controls'))),
      BatchSize: description.batchSize,
      // FIFO (ordered per card): Lambda takes no batching window on a FIFO source.
      MaximumBatchingWindowInSeconds: Match.absent(),
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: settings.card91.maxConcurrency },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: fnName('card-controls'),
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Timeout: description.functionTimeoutSeconds,
      Environment: {
        Variables: Match.objectLike({
          QUEUE_URL: ref(queueId('cardControls')),
          DLQ_URL: ref(queueId('cardControls', true)),
          QUEUE_FIFO: 'true',
          IDEMPOTENCY_TABLE: ref(tableId('idempotency')),
          CARD91_BASE_URL: settings.card91.baseUrl,
          CARD91_ORG_ID: settings.card91.orgId,
          CARD91_SDK_AUTH_SECRETS_ID: ref(secretId('card91-sdk-auth-signing')),
        }),
      },
    });
  });

  it('sizes every queue\'s maxReceiveCount as a safety net far beyond a day of waiting out an outage', () => {
    // 3 × (6 ladder steps + 86,400 s / 300 s between circuit trials): an unhealthy DCMS never reaches it.
    expect(safetyNetReceiveCount(DEFAULT_RETRY_POLICY)).toBe(882);
    for (const description of Object.values(QUEUES)) expect(description.maxReceiveCount).toBe(882);
  });

  it('the FIFO workers have no batching window (Lambda refuses one)', () => {
    for (const queue of ['coreBanking', 'coreBankingBulk'] as const) {
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { EventSourceArn: getAtt(queueId(queue)), MaximumBatchingWindowInSeconds: Match.absent() });
    }
  });

  it('maxConcurrency fills the largest tenant’s budget at typical latency: 4 real-time and 4 bulk core-banking instances, 2 courier', () => {
    const ceiling = (service: string) => {
      const fnId = logicalIdOf(template, 'AWS::Lambda::Function', 'FunctionName', fnName(service));
      const mapping = Object.values(template.findResources('AWS::Lambda::EventSourceMapping')).find((m) => JSON.stringify(m.Properties.FunctionName) === JSON.stringify(ref(fnId)));
      return mapping!.Properties.ScalingConfig.MaximumConcurrency as number;
    };
    // 100 req/s × 0.75 × 0.25 s ≈ 19 calls in flight, 5 per instance → 4 (the bulk lane: × 0.8 → 20 → 4); courier 100 × 0.25 × 0.25 / 4 → 2.
    expect([ceiling('core-banking-events'), ceiling('core-banking-bulk'), ceiling('courier-events')]).toEqual([4, 4, 2]);
    // Together they hold the budget's worth of calls in flight at 250 ms: real time and bulk can each fill their part.
    expect(settings.dcms.typicalLatencyMs).toBe(250);
  });

  it('the bulk lane runs the core-banking code, bundled from the same entry', () => {
    const entry = (service: string) => dev.stack.node.findAll().find((c): c is IntegrationFunction => c instanceof IntegrationFunction && c.service === service)!.entry;
    expect(entry('core-banking-bulk')).toMatch(/\/functions\/core-banking-events\/handler\.ts$/);
    expect(entry('core-banking-bulk')).toBe(entry('core-banking-events'));
  });

  it.each(workers)('$service: Node.js 24 on arm64, timeout and environment from the description, names not values', ({ service, queue, lane }) => {
    const description = QUEUES[queue];
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: fnName(service),
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Timeout: description.functionTimeoutSeconds,
      TracingConfig: { Mode: 'Active' },
      Environment: {
        Variables: {
          POWERTOOLS_SERVICE_NAME: service,
          POWERTOOLS_METRICS_NAMESPACE: 'CardIssuance',
          POWERTOOLS_LOG_LEVEL: settings.logLevel,
          POWERTOOLS_LOGGER_SAMPLE_RATE: String(settings.loggerSampleRate),
          NODE_OPTIONS: '--enable-source-maps',
          QUEUE_URL: ref(queueId(queue)),
          DLQ_URL: ref(queueId(queue, true)),
          QUEUE_FIFO: String(description.fifo),
          MAX_RECEIVE_COUNT: String(description.maxReceiveCount),
          RETRY_BUDGET_SECONDS: '86400',
          VISIBILITY_BASE_SECONDS: '30',
          VISIBILITY_MAX_SECONDS: '900',
          CIRCUIT_TRIAL_CAP_SECONDS: '300',
          IDEMPOTENCY_TABLE: ref(tableId('idempotency')),
          STATE_TABLE: ref(tableId('integrationState')),
          TENANTS_PARAMETER: Match.anyValue(),
          DCMS_BASE_URL: settings.dcms.baseUrl,
          DCMS_CREDENTIALS_SECRET: ref(secretId('dcms-credentials')),
          DCMS_LANE: lane,
          // The bulk lane's part of each tenant's budget, from the stage settings; the real-time lane has no cap.
          ...(lane === 'bulk' && { DCMS_BULK_SHARE: String(settings.dcms.bulkShare) }),
        },
      },
    });
  });

  it('prod reserves each worker exactly its event source’s maxConcurrency; dev reserves nothing', () => {
    const reserved = (stage: typeof dev) =>
      Object.fromEntries(
        Object.values(stage.template.findResources('AWS::Lambda::Function')).map((fn) => [String(fn.Properties.FunctionName).replace(`${stage.settings.resourcePrefix}-`, ''), fn.Properties.ReservedConcurrentExecutions]),
      );
    const ceilings = (stage: typeof dev) =>
      Object.fromEntries(
        Object.values(stage.template.findResources('AWS::Lambda::EventSourceMapping')).map((mapping) => {
          const fnId = (mapping.Properties.FunctionName as { Ref: string }).Ref;
          const name = String(stage.template.toJSON().Resources[fnId].Properties.FunctionName).replace(`${stage.settings.resourcePrefix}-`, '');
          return [name, mapping.Properties.ScalingConfig.MaximumConcurrency];
        }),
      );
    expect(reserved(prod)).toEqual({ ...ceilings(prod), 'card91-auth-webhook': undefined, 'courier-webhook': undefined });
    expect(Object.keys(ceilings(prod)).sort()).toEqual(['card-controls', 'core-banking-bulk', 'core-banking-events', 'courier-events']);
    expect(Object.values(reserved(dev)).every((value) => value === undefined)).toBe(true);
  });

  it('each stage deploys into its own account and region; prod’s web ACL into us-east-1 of prod’s account', () => {
    expect([dev.stack.account, dev.stack.region]).toEqual([dev.settings.account, dev.settings.region]);
    expect([prod.stack.account, prod.stack.region]).toEqual([prod.settings.account, prod.settings.region]);
    expect([prod.edge!.stack.account, prod.edge!.stack.region]).toEqual([prod.settings.account, 'us-east-1']);
    expect(dev.edge).toBeUndefined();
  });

  it('the tenants document in SSM is the configured one', () => {
    template.hasResourceProperties('AWS::SSM::Parameter', { Name: `/${prefix}/tenants`, Type: 'String', Value: JSON.stringify(settings.tenants) });
  });
});

describe('least privilege', () => {
  const key = [getAtt(keyId)];
  const idempotency = ['dynamodb:PutItem', 'dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'];
  const consume = ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'];

  const parameterArn = (name: string) => ({
    'Fn::Join': ['', [`arn:aws:ssm:${settings.region}:${settings.account}:parameter`, ref(logicalIdOf(template, 'AWS::SSM::Parameter', 'Name', name))]],
  });
  const tenants = [parameterArn(`/${prefix}/tenants`)];

  /** The function may do exactly this: each action on exactly these resources. */
  function expectExactly(service: string, expected: Record<string, unknown[]>): void {
    const logGroup = [getAtt(logicalIdOf(template, 'AWS::Logs::LogGroup', 'LogGroupName', `/aws/lambda/${fnName(service)}`))];
    const normalize = (permissions: Record<string, unknown[]>) =>
      Object.fromEntries(Object.entries(permissions).map(([action, resources]) => [action, [...new Set(resources.map((r) => JSON.stringify(r)))].sort()]));
    expect(normalize(Object.fromEntries(permissionsOf(template, fnName(service))))).toEqual(
      normalize({ 'logs:CreateLogStream': logGroup, 'logs:PutLogEvents': logGroup, 'xray:PutTraceSegments': ['*'], 'xray:PutTelemetryRecords': ['*'], ...expected }),
    );
  }

  it.each([
    ['core-banking-events', 'coreBanking'],
    ['core-banking-bulk', 'coreBankingBulk'],
  ] as const)('%s: its queue, its DLQ, idempotency, the kit ledger (update), pending sends, tenants, DCMS credentials', (service, queue) => {
    expectExactly(service, {
      ...Object.fromEntries(consume.map((a) => [a, [getAtt(queueId(queue))]])),
      // Its DLQ, and its own queue: a record waiting on its customer moves to the back of its group.
      'sqs:SendMessage': [getAtt(queueId(queue, true)), getAtt(queueId(queue))],
      // Idempotency, the retry clock and, in the state table, the kit ledger and the write-ahead pending sends.
      ...Object.fromEntries(idempotency.map((a) => [a, [getAtt(tableId('idempotency')), getAtt(tableId('integrationState'))]])),
      'ssm:GetParameter': tenants,
      'secretsmanager:GetSecretValue': [ref(secretId('dcms-credentials'))],
      'kms:Decrypt': key,
      'kms:GenerateDataKey': key,
    });
  });

  it('courier-events: its queue, its DLQ, idempotency, the kit ledger (claim and release, history), tenants, DCMS credentials', () => {
    const state = [getAtt(tableId('integrationState'))];
    expectExactly('courier-events', {
      ...Object.fromEntries(consume.map((a) => [a, [getAtt(queueId('courier'))]])),
      'sqs:SendMessage': [getAtt(queueId('courier', true))],
      'dynamodb:GetItem': [getAtt(tableId('idempotency'))],
      'dynamodb:DeleteItem': [getAtt(tableId('idempotency'))],
      'dynamodb:PutItem': [getAtt(tableId('idempotency')), ...state],
      'dynamodb:UpdateItem': [getAtt(tableId('idempotency')), ...state],
      'ssm:GetParameter': tenants,
      'secretsmanager:GetSecretValue': [ref(secretId('dcms-credentials'))],
      'kms:Decrypt': key,
      'kms:GenerateDataKey': key,
    });
  });

  it('courier-webhook: sends to the courier queue, the replay table, the AWB index, the couriers document, the courier keys', () => {
    const replay = [getAtt(tableId('webhookReplay'))];
    const state = getAtt(tableId('integrationState'));
    expectExactly('courier-webhook', {
      'sqs:SendMessage': [getAtt(queueId('courier'))],
      'dynamodb:GetItem': replay,
      'dynamodb:BatchGetItem': [state],
      'dynamodb:PutItem': [...replay, state],
      'dynamodb:UpdateItem': replay,
      'dynamodb:DeleteItem': replay,
      'ssm:GetParameter': [parameterArn(`/${prefix}/couriers`)],
      'secretsmanager:GetSecretValue': settings.couriers.map((c) => ref(secretId(`couriers/${c.courier}`))),
      'kms:Decrypt': key,
      'kms:GenerateDataKey': key,
    });
  });

  it('courier-webhook: reaches only the AWB index items of the integration state', () => {
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (policy) => policy.Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown; Condition?: unknown }>,
    );
    const onState = statements.filter((statement) => JSON.stringify(statement.Resource) === JSON.stringify(getAtt(tableId('integrationState'))) && [statement.Action].flat().includes('dynamodb:BatchGetItem') && !JSON.stringify(statement.Action).includes('UpdateItem'));
    expect(onState).toEqual([expect.objectContaining({ Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['AWB#*'] } } })]);
  });

  it('card-controls: its queue, its DLQ, idempotency, tenants, the sdkAuthToken keys', () => {
    expectExactly('card-controls', {
      ...Object.fromEntries(consume.map((a) => [a, [getAtt(queueId('cardControls'))]])),
      'sqs:SendMessage': [getAtt(queueId('cardControls', true)), getAtt(queueId('cardControls'))],
      ...Object.fromEntries(idempotency.map((a) => [a, [getAtt(tableId('idempotency'))]])),
      'ssm:GetParameter': tenants,
      'secretsmanager:GetSecretValue': [ref(secretId('card91-sdk-auth-signing'))],
      'kms:Decrypt': key,
      'kms:GenerateDataKey': key,
    });
  });

  it('card91-auth-webhook: its signing secret, nothing else', () => {
    expectExactly('card91-auth-webhook', {
      'secretsmanager:GetSecretValue': [ref(secretId('card91-sdk-auth-signing'))],
      'kms:Decrypt': key,
    });
  });

  it('no workload policy has a wildcard action, and `*` resources are X-Ray only', () => {
    for (const policy of Object.values(template.findResources('AWS::IAM::Policy'))) {
      for (const statement of policy.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[]) {
        const actions = [statement.Action].flat();
        expect(actions.filter((a) => a.includes('*'))).toEqual([]);
        if (statement.Resource === '*') expect(actions.every((a) => a.startsWith('xray:'))).toBe(true);
      }
    }
    expect(Object.keys(template.findResources('AWS::IAM::Role', { Properties: { ManagedPolicyArns: Match.anyValue() } }))).toEqual([]);
  });
});

describe('tables, from the shared description', () => {
  it.each(Object.keys(TABLES) as (keyof typeof TABLES)[])('%s: keys, TTL, on-demand, PITR, customer key', (key) => {
    const description = TABLES[key];
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: tableName(prefix, description),
      KeySchema: [{ AttributeName: description.partitionKey, KeyType: 'HASH' }, ...('sortKey' in description ? [{ AttributeName: description.sortKey, KeyType: 'RANGE' }] : [])],
      TimeToLiveSpecification: { AttributeName: description.ttlAttribute, Enabled: true },
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: getAtt(keyId) },
    });
  });

  it('idempotency records expire on the attribute Powertools writes', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', { TableName: tableName(prefix, TABLES.idempotency), TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true } });
  });

  it('prod tables are protected and retained; dev ones are not', () => {
    prod.template.allResourcesProperties('AWS::DynamoDB::Table', { DeletionProtectionEnabled: true });
    expect(Object.values(prod.template.findResources('AWS::DynamoDB::Table')).map((t) => t.DeletionPolicy)).toEqual(['Retain', 'Retain', 'Retain']);
    template.allResourcesProperties('AWS::DynamoDB::Table', { DeletionProtectionEnabled: false });
    expect(Object.values(template.findResources('AWS::DynamoDB::Table')).map((t) => t.DeletionPolicy)).toEqual(['Delete', 'Delete', 'Delete']);
  });
});

describe('encryption', () => {
  it('one customer key with rotation, used by secrets, logs and the alarm topic', () => {
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.allResourcesProperties('AWS::SecretsManager::Secret', { KmsKeyId: getAtt(keyId) });
    template.allResourcesProperties('AWS::Logs::LogGroup', { KmsKeyId: getAtt(keyId) });
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: getAtt(keyId) });
  });

  it('the key lets CloudWatch publish to the encrypted topic for this account’s alarms of this stage only', () => {
    const statements = (template.toJSON().Resources[keyId].Properties.KeyPolicy.Statement as { Principal?: { Service?: string } }[]).filter(
      (statement) => statement.Principal?.Service === 'cloudwatch.amazonaws.com',
    );
    expect(statements).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        Resource: '*',
        Condition: {
          StringEquals: { 'aws:SourceAccount': settings.account },
          ArnLike: { 'aws:SourceArn': `arn:aws:cloudwatch:${settings.region}:${settings.account}:alarm:${prefix}-*` },
        },
      },
    ]);
    // The condition holds for every alarm the stage has.
    for (const alarm of Object.values(template.findResources('AWS::CloudWatch::Alarm'))) expect(alarm.Properties.AlarmName).toMatch(new RegExp(`^${prefix}-`));
  });

  it('courier HMAC keys are generated by Secrets Manager in the shape the webhook reads', () => {
    for (const { courier } of settings.couriers) {
      template.hasResourceProperties('AWS::SecretsManager::Secret', {
        Name: `${prefix}/couriers/${courier}`,
        GenerateSecretString: { SecretStringTemplate: '{}', GenerateStringKey: 'current', PasswordLength: 64 },
      });
    }
  });
});

describe('webhook API', () => {
  it.each([
    ['POST /couriers/{courier}/events', 'courier-webhook'],
    ['POST /card91/auth', 'card91-auth-webhook'],
  ] as const)('%s goes to %s (payload 2.0)', (routeKey, service) => {
    const resources = template.toJSON().Resources;
    const route = resources[logicalIdOf(template, 'AWS::ApiGatewayV2::Route', 'RouteKey', routeKey)];
    // Target: integrations/<integration id>
    const integrationId = (route.Properties.Target['Fn::Join'][1] as unknown[]).find((p): p is { Ref: string } => typeof p === 'object' && p !== null && 'Ref' in p)!.Ref;
    expect(resources[integrationId].Properties).toMatchObject({
      IntegrationUri: getAtt(logicalIdOf(template, 'AWS::Lambda::Function', 'FunctionName', fnName(service))),
      PayloadFormatVersion: '2.0',
    });
  });

  it('serves exactly the declared routes', () => {
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map((r) => r.Properties.RouteKey);
    expect(routes.sort()).toEqual((Object.keys(WEBHOOK_ROUTES) as WebhookRouteName[]).map(webhookRouteKey).sort());
  });

  it.each(['dev', 'prod'] as const)('%s: each route has its own throttle from the stage settings, after the routes exist', (name) => {
    const stage = name === 'dev' ? dev : prod;
    const { routes } = stage.settings.webhooks;
    const [stageId, apiStage] = Object.entries(stage.template.findResources('AWS::ApiGatewayV2::Stage'))[0]!;
    expect(apiStage.Properties.RouteSettings).toEqual(
      Object.fromEntries(
        (Object.keys(WEBHOOK_ROUTES) as WebhookRouteName[]).map((route) => [webhookRouteKey(route), { ThrottlingRateLimit: routes[route].rateLimit, ThrottlingBurstLimit: routes[route].burstLimit }]),
      ),
    );
    // A route flooded to its limit leaves the other route its whole budget: the limits are not one shared bucket.
    expect(routes.card91Auth).not.toBe(routes.courierEvents);
    const routeIds = Object.keys(stage.template.findResources('AWS::ApiGatewayV2::Route'));
    expect(stage.template.toJSON().Resources[stageId].DependsOn).toEqual(expect.arrayContaining(routeIds));
  });

  it('writes access logs with status and latency as numbers (the route metrics read them)', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('"status":\\$context.status,.*"responseLatency":\\$context.responseLatency,') },
    });
    const format = JSON.parse(
      String(Object.values(template.findResources('AWS::ApiGatewayV2::Stage'))[0]!.Properties.AccessLogSettings.Format)
        .replaceAll('$context.status', '202')
        .replaceAll('$context.responseLatency', '35'),
    ) as Record<string, unknown>;
    expect(format).toMatchObject({ routeKey: '$context.routeKey', status: 202, responseLatency: 35 });
  });
});

describe('monitoring', () => {
  const topic = ref(Object.keys(template.findResources('AWS::SNS::Topic'))[0]!);

  it('every alarm notifies the topic, on alarm and on recovery', () => {
    template.allResourcesProperties('AWS::CloudWatch::Alarm', { AlarmActions: [topic], OKActions: [topic] });
  });

  it.each([
    ['core-banking-events', 'coreBanking', oldestMessageAlarmSeconds(QUEUES.coreBanking)],
    // A migration is a backlog by design: its lane pages after half a day, not an hour into every import.
    ['core-banking-bulk', 'coreBankingBulk', 43_200],
    ['courier-events', 'courier', oldestMessageAlarmSeconds(QUEUES.courier)],
  ] as const)('%s: any DLQ message, oldest message past the retry ladder, errors, throttles, DCMS error rate', (service, key, oldestMessageSeconds) => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `${prefix}-${service}-dlq-not-empty`,
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: getAtt(queueId(key, true), 'QueueName') }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `${prefix}-${service}-oldest-message`,
      MetricName: 'ApproximateAgeOfOldestMessage',
      Dimensions: [{ Name: 'QueueName', Value: getAtt(queueId(key), 'QueueName') }],
      Threshold: oldestMessageSeconds,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: `${prefix}-${service}-errors`, MetricName: 'Errors', Threshold: 1 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: `${prefix}-${service}-throttles`, MetricName: 'Throttles', Threshold: 1 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `${prefix}-${service}-dcms-error-rate`,
      Threshold: 10,
      EvaluationPeriods: 2,
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: Match.stringLikeRegexp('^IF\\(.* >= 20, 100 \\* FILL\\(errors, 0\\) / '), ReturnData: true }),
        Match.objectLike({
          Id: 'errors',
          Expression: `SELECT SUM(DcmsCalls) FROM "CardIssuance" WHERE service = '${service}' AND outcome != '200'`,
          ReturnData: false,
        }),
        Match.objectLike({
          MetricStat: Match.objectLike({
            Metric: { Namespace: 'CardIssuance', MetricName: 'DcmsCalls', Dimensions: Match.arrayWith([{ Name: 'outcome', Value: '200' }, { Name: 'service', Value: service }]) },
          }),
        }),
      ]),
    });
  });

  it('card-controls: any DLQ message, oldest message, errors, throttles', () => {
    for (const alarm of ['dlq-not-empty', 'oldest-message', 'errors', 'throttles']) template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: `${prefix}-card-controls-${alarm}` });
  });

  it('the alarm topic mails the stage’s on-call address from the settings', () => {
    for (const stage of [dev, prod]) {
      const topicId = Object.keys(stage.template.findResources('AWS::SNS::Topic'))[0]!;
      stage.template.resourcePropertiesCountIs('AWS::SNS::Subscription', { TopicArn: ref(topicId), Protocol: 'email', Endpoint: stage.settings.alarms.email }, 1);
    }
    expect(dev.settings.alarms.email).not.toBe(prod.settings.alarms.email);
  });

  it.each(Object.entries({ 'core-banking-events': 'coreBanking', 'core-banking-bulk': 'coreBankingBulk', 'courier-events': 'courier', 'card-controls': 'cardControls' }) as [string, keyof typeof QUEUES][])(
    '%s: its DLQ rings again before a dead letter can expire',
    (service, key) => {
      const description = QUEUES[key];
      const threshold = dlqExpiryAlarmSeconds(description);
      // Before the earliest expiry: a standard queue's message expires counting from its first enqueue (up to the source retention earlier).
      expect(threshold).toBeLessThanOrEqual((description.dlqRetentionDays - 4 - 1) * 86_400);
      expect(threshold).toBeGreaterThan(86_400);
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `${prefix}-${service}-dlq-expiring`,
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateAgeOfOldestMessage',
        Dimensions: [{ Name: 'QueueName', Value: getAtt(queueId(key, true), 'QueueName') }],
        Statistic: 'Maximum',
        Threshold: threshold,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
      template.hasResourceProperties('AWS::SQS::Queue', { QueueName: queueName(prefix, description), MessageRetentionPeriod: 4 * 86_400 });
    },
  );

  it('card-controls: Card91 error rate, errors from Metrics Insights, successes per method card-controls calls', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `${prefix}-card-controls-card91-error-rate`,
      Threshold: 10,
      EvaluationPeriods: 2,
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: Match.stringLikeRegexp('^IF\\(.* >= 20, 100 \\* FILL\\(errors, 0\\) / '), ReturnData: true }),
        Match.objectLike({ Id: 'errors', Expression: `SELECT SUM(Card91Calls) FROM "CardIssuance" WHERE service = 'card-controls' AND outcome != '200'`, Period: 300, ReturnData: false }),
        ...['loginWithToken', 'getCustomerDetail', 'blockCard', 'setCardLock', 'getCardSettings', 'setCardSettings'].map((method) =>
          Match.objectLike({
            MetricStat: Match.objectLike({
              Metric: { Namespace: 'CardIssuance', MetricName: 'Card91Calls', Dimensions: [{ Name: 'method', Value: method }, { Name: 'outcome', Value: '200' }, { Name: 'service', Value: 'card-controls' }] },
            }),
          }),
        ),
      ]),
    });
  });

  describe('webhook routes, from the access log', () => {
    const accessLogs = ref(Object.keys(template.findResources('AWS::Logs::LogGroup')).find((id) => id.startsWith('WebhooksAccessLogs'))!);

    it('counts requests, 4xx, 5xx and latency per route', () => {
      const filters = Object.values(template.findResources('AWS::Logs::MetricFilter')).map((f) => f.Properties);
      expect(filters.map((f) => [f.FilterPattern, f.MetricTransformations[0].MetricName, f.MetricTransformations[0].MetricValue])).toEqual([
        ['{ $.status >= 100 }', 'Requests', '1'],
        ['{ $.status >= 400 && $.status < 500 }', '4xx', '1'],
        ['{ $.status >= 500 }', '5xx', '1'],
        ['{ $.responseLatency >= 0 }', 'Latency', '$.responseLatency'],
      ]);
      for (const filter of filters) {
        expect(filter.LogGroupName).toEqual(accessLogs);
        expect(filter.MetricTransformations[0]).toMatchObject({ MetricNamespace: API_METRICS_NAMESPACE, Dimensions: [{ Key: 'route', Value: '$.routeKey' }] });
      }
    });

    it.each(Object.keys(WEBHOOK_ROUTES) as WebhookRouteName[])('%s: 5xx rate, 4xx rate and p99 latency alarms', (name) => {
      const route = webhookRouteKey(name);
      const alarm = (suffix: string) => `${prefix}-webhook-${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}-${suffix}`;
      const routeMetric = (id: string, metricName: string) =>
        Match.objectLike({ Id: id, MetricStat: Match.objectLike({ Metric: { Namespace: API_METRICS_NAMESPACE, MetricName: metricName, Dimensions: [{ Name: 'route', Value: route }] }, Stat: 'Sum' }) });
      for (const [suffix, metricName, threshold, periods] of [
        ['5xx-rate', '5xx', ALARM_POLICY.webhook5xxRatePercent, 2],
        ['4xx-rate', '4xx', ALARM_POLICY.webhook4xxRatePercent, 3],
      ] as const) {
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          AlarmName: alarm(suffix),
          Threshold: threshold,
          EvaluationPeriods: periods,
          Metrics: Match.arrayWith([
            Match.objectLike({ Expression: `IF(FILL(requests, 0) >= ${ALARM_POLICY.webhookMinRequests}, 100 * FILL(errors, 0) / requests, 0)`, ReturnData: true }),
            routeMetric('requests', 'Requests'),
            routeMetric('errors', metricName),
          ]),
        });
      }
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: alarm('latency-p99'),
        Namespace: API_METRICS_NAMESPACE,
        MetricName: 'Latency',
        Dimensions: [{ Name: 'route', Value: route }],
        ExtendedStatistic: 'p99',
        Threshold: settings.webhooks.routes[name].latencyP99Ms,
        EvaluationPeriods: ALARM_POLICY.webhookLatencyPeriods,
      });
    });
  });

  it.each(['card91-auth-webhook', 'courier-webhook'])('%s: errors and throttles', (service) => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: `${prefix}-${service}-errors`, MetricName: 'Errors' });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: `${prefix}-${service}-throttles`, MetricName: 'Throttles' });
  });

  it('one dashboard with the flows’ key figures', () => {
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    const body = JSON.stringify(template.findResources('AWS::CloudWatch::Dashboard'));
    for (const figure of ['EventsProcessed', 'DcmsCalls', 'DcmsLatency', 'Card91Calls', 'LoginValidations', 'WebhookRequests', 'ApproximateAgeOfOldestMessage', 'Invocations']) {
      expect(body).toContain(figure);
    }
  });
});

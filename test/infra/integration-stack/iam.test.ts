import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { XRAY_ACTIONS } from '../../../infra/constructs/integration-function.js';
import type { QUEUES } from '../../../shared/config/resources.js';
import { getAtt, logicalIdOf, permissionsOf, ref } from '../support.js';
import { fnName, keyId, prefix, queueId, secretId, settings, tableId, template } from './stack-setup.js';

const key = [getAtt(keyId)];
const encrypts = { 'kms:Decrypt': key, 'kms:GenerateDataKey': key };
const idempotency = ['dynamodb:PutItem', 'dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'];
const consume = ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'];

const parameterArn = (name: string) => ({
  'Fn::Join': ['', [`arn:aws:ssm:${settings.region}:${settings.account}:parameter`, ref(logicalIdOf(template, 'AWS::SSM::Parameter', 'Name', name))]],
});
const tenants = [parameterArn(`/${prefix}/tenants`)];

/** Every action a consumer of `queue` needs, on that queue only. */
const consumes = (queue: keyof typeof QUEUES) => Object.fromEntries(consume.map((a) => [a, [getAtt(queueId(queue))]]));
/** What every DCMS worker reads: the tenants document and the DCMS credentials, with the key. */
const dcmsWorkerReads = { 'ssm:GetParameter': tenants, 'secretsmanager:GetSecretValue': [ref(secretId('dcms-credentials'))], ...encrypts };

/** The function may do exactly this: each action on exactly these resources. */
function expectExactly(service: string, expected: Record<string, unknown[]>): void {
  const logGroup = [getAtt(logicalIdOf(template, 'AWS::Logs::LogGroup', 'LogGroupName', `/aws/lambda/${fnName(service)}`))];
  const normalize = (permissions: Record<string, unknown[]>) =>
    Object.fromEntries(Object.entries(permissions).map(([action, resources]) => [action, [...new Set(resources.map((r) => JSON.stringify(r)))].sort()]));
  expect(normalize(Object.fromEntries(permissionsOf(template, fnName(service))))).toEqual(
    normalize({ 'logs:CreateLogStream': logGroup, 'logs:PutLogEvents': logGroup, ...Object.fromEntries(XRAY_ACTIONS.map((action) => [action, ['*']])), ...expected }),
  );
}

describe('least privilege: queue workers', () => {
  it.each([
    ['core-banking-events', 'coreBanking'],
    ['core-banking-bulk', 'coreBankingBulk'],
  ] as const)('%s: its queue, its DLQ, idempotency, the kit ledger (update), pending sends, tenants, DCMS credentials', (service, queue) => {
    expectExactly(service, {
      ...consumes(queue),
      // Its DLQ, and its own queue: a record waiting on its customer moves to the back of its group.
      'sqs:SendMessage': [getAtt(queueId(queue, true)), getAtt(queueId(queue))],
      // Idempotency, the retry clock and, in the state table, the kit ledger and the write-ahead pending sends.
      ...Object.fromEntries(idempotency.map((a) => [a, [getAtt(tableId('idempotency')), getAtt(tableId('integrationState'))]])),
      ...dcmsWorkerReads,
    });
  });

  it('courier-events: its queue, its DLQ, idempotency, the kit ledger (claim and release, history), tenants, DCMS credentials', () => {
    const state = [getAtt(tableId('integrationState'))];
    expectExactly('courier-events', {
      ...consumes('courier'),
      'sqs:SendMessage': [getAtt(queueId('courier', true))],
      'dynamodb:GetItem': [getAtt(tableId('idempotency'))],
      'dynamodb:DeleteItem': [getAtt(tableId('idempotency'))],
      'dynamodb:PutItem': [getAtt(tableId('idempotency')), ...state],
      'dynamodb:UpdateItem': [getAtt(tableId('idempotency')), ...state],
      ...dcmsWorkerReads,
    });
  });

  it('card-controls: its queue, its DLQ, idempotency, tenants, the sdkAuthToken keys', () => {
    expectExactly('card-controls', {
      ...consumes('cardControls'),
      'sqs:SendMessage': [getAtt(queueId('cardControls', true)), getAtt(queueId('cardControls'))],
      ...Object.fromEntries(idempotency.map((a) => [a, [getAtt(tableId('idempotency'))]])),
      'ssm:GetParameter': tenants,
      'secretsmanager:GetSecretValue': [ref(secretId('card91-sdk-auth-signing'))],
      ...encrypts,
    });
  });
});

describe('least privilege: webhooks', () => {
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
      ...encrypts,
    });
  });

  it('courier-webhook: reaches only the AWB index items of the integration state', () => {
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (policy) => policy.Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown; Condition?: unknown }>,
    );
    const onState = statements.filter(
      (statement) =>
        JSON.stringify(statement.Resource) === JSON.stringify(getAtt(tableId('integrationState'))) &&
        [statement.Action].flat().includes('dynamodb:BatchGetItem') &&
        !JSON.stringify(statement.Action).includes('UpdateItem'),
    );
    expect(onState).toEqual([expect.objectContaining({ Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['AWB#*'] } } })]);
  });

  it('card91-auth-webhook: its signing secret, the caller secret, one conditional put on the replay table, nothing else', () => {
    expectExactly('card91-auth-webhook', {
      'secretsmanager:GetSecretValue': [ref(secretId('card91-sdk-auth-signing')), ref(secretId('card91-auth-caller'))],
      'dynamodb:PutItem': [getAtt(tableId('webhookReplay'))],
      'kms:Decrypt': key,
    });
  });

  it('card91-auth-webhook: writes only its own items of the replay table (remembered tokens)', () => {
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (policy) => policy.Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown; Condition?: unknown }>,
    );
    const onReplay = statements.filter((statement) => JSON.stringify(statement.Resource) === JSON.stringify(getAtt(tableId('webhookReplay'))) && statement.Action === 'dynamodb:PutItem');
    expect(onReplay).toEqual([expect.objectContaining({ Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['card91-auth#sdk-token#*'] } } })]);
  });

  it('card91-auth-webhook: names its secrets and the replay table, never a secret value', () => {
    const fn = template.toJSON().Resources[logicalIdOf(template, 'AWS::Lambda::Function', 'FunctionName', fnName('card91-auth-webhook'))];
    expect(fn.Properties.Environment.Variables).toMatchObject({
      CARD91_CALLER_SECRET_ID: ref(secretId('card91-auth-caller')),
      REPLAY_TABLE: ref(tableId('webhookReplay')),
    });
    expect(Object.keys(fn.Properties.Environment.Variables)).not.toContain('CARD91_CALLER_SECRET_JSON');
  });
});

describe('least privilege: every workload policy', () => {
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

import { Stack, Validations } from 'aws-cdk-lib';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { loadAppSettings } from '../../infra/config/app-config.js';
import { IntegrationFunction, XRAY_ACTIONS } from '../../infra/constructs/integration-function.js';
import { PipelineStack } from '../../infra/stacks/pipeline-stack.js';
import { synthStage, testApp } from './support.js';

/** Every acknowledgement under `scope`: construct path (relative) → rule ids with their reasons. */
function acknowledgementsUnder(scope: IConstruct): { path: string; id: string; reason: string }[] {
  const base = scope.node.path;
  return scope.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path.slice(base.length + 1),
          id: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}

const functionOf = (scope: IConstruct, service: string): IntegrationFunction => scope.node.findAll().find((c): c is IntegrationFunction => c instanceof IntegrationFunction && c.service === service)!;

const findings = (scope: IConstruct) => new AwsSolutionsChecks().validateScope(scope).violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} ${r.constructPath}`));

describe('cdk-nag AwsSolutions', () => {
  it('is not vacuous: a plain queue is reported', () => {
    const stack = new Stack(testApp(), 'Probe');
    new Queue(stack, 'Plain');
    const rules = new AwsSolutionsChecks().validateScope(stack).violations.map((v) => v.ruleName);
    expect(rules).toEqual(expect.arrayContaining(['AwsSolutions-SQS3', 'AwsSolutions-SQS4']));
  });

  it('finds nothing unacknowledged in the whole app (pipeline, dev, prod and its edge)', () => {
    const app = testApp();
    new PipelineStack(app, 'CardIssuancePipeline', { settings: loadAppSettings(app) });
    app.synth();
    expect(findings(app)).toEqual([]);
  });

  it('the workload acknowledges only these findings, each with its reason', () => {
    const { stack, edge } = synthStage('prod');
    const acknowledged = [...acknowledgementsUnder(stack), ...acknowledgementsUnder(edge!.stack)];
    expect(acknowledged.map(({ path, id }) => `${path} ${id}`).sort()).toEqual(
      [
        'Card91AuthWebhook/Tracing AwsSolutions-IAM5[Resource::*]',
        'CourierWebhook/Tracing AwsSolutions-IAM5[Resource::*]',
        'CoreBankingEvents/Worker/Handler/Tracing AwsSolutions-IAM5[Resource::*]',
        'CoreBankingBulk/Worker/Handler/Tracing AwsSolutions-IAM5[Resource::*]',
        'CourierEvents/Worker/Handler/Tracing AwsSolutions-IAM5[Resource::*]',
        'CardControls/Worker/Handler/Tracing AwsSolutions-IAM5[Resource::*]',
        'DcmsCredentials AwsSolutions-SMG4',
        'Card91SdkAuthSigning AwsSolutions-SMG4',
        'Card91AuthCaller AwsSolutions-SMG4',
        'OriginVerify AwsSolutions-SMG4',
        'CourierSecret-bluedart AwsSolutions-SMG4',
        'CourierSecret-bluedart-globex AwsSolutions-SMG4',
        'CourierSecret-delhivery AwsSolutions-SMG4',
        'CourierSecret-shiprocket AwsSolutions-SMG4',
        'Webhooks/Api/POST--card91--auth AwsSolutions-APIG4',
        'Webhooks/Api/POST--couriers--{courier}--events AwsSolutions-APIG4',
        'WebhookEdge/Distribution AwsSolutions-CFR3',
        'Network/FunctionInterfaces AwsSolutions-IAM5[Resource::*]',
        'Network/FunctionInterfaces AwsSolutions-IAM5[Resource::arn:aws:ec2:ap-south-1:200000000002:network-interface/*]',
        // CDK's own, on the flow log it renders (the casing of its options).
        'Network/Vpc/All CloudFormation-Validate::F3002',
        'Network/Vpc/All CloudFormation-Validate::F3003',
      ].sort(),
    );
    for (const { id, reason } of acknowledged) if (id.startsWith('AwsSolutions')) expect(reason.length).toBeGreaterThan(40);
  });
});

describe('the X-Ray acknowledgement covers the X-Ray actions and nothing else', () => {
  it('the acknowledged policy holds exactly the two X-Ray actions', () => {
    const { template } = synthStage('dev');
    const tracing = Object.entries(template.findResources('AWS::IAM::Policy')).filter(([id]) => id.includes('Tracing'));
    expect(tracing).toHaveLength(6);
    for (const [, policy] of tracing) expect(policy.Properties.PolicyDocument.Statement).toEqual([{ Effect: 'Allow', Action: [...XRAY_ACTIONS].sort(), Resource: '*' }]);
  });

  it.each([
    [['dynamodb:PutItem'], 'core-banking-events'],
    [['secretsmanager:GetSecretValue'], 'card91-auth-webhook'],
    [['xray:PutTraceSegments'], 'courier-webhook'],
  ])('%s on `*` added to %s is a finding', (actions, service) => {
    const { stack } = synthStage('dev');
    expect(findings(stack)).toEqual([]);
    const fn = functionOf(stack, service);
    fn.allow(actions, ['*']);
    expect(findings(stack)).toEqual([`AwsSolutions-IAM5[Resource::*] ${fn.node.path}/Role/DefaultPolicy/Resource`]);
  });

  it('and fails synth', () => {
    const app = testApp();
    const pipeline = new PipelineStack(app, 'CardIssuancePipeline', { settings: loadAppSettings(app) });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    functionOf(pipeline, 'courier-events').allow(['dynamodb:PutItem', 'secretsmanager:GetSecretValue'], ['*']);
    expect(() => app.synth()).toThrow(/AwsSolutions-IAM5\[Resource::\*\]/);
  });
});

import { Stack, Validations } from 'aws-cdk-lib';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { loadAppSettings } from '../../infra/config/app-config.js';
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

describe('cdk-nag AwsSolutions', () => {
  it('is not vacuous: a plain queue is reported', () => {
    const stack = new Stack(testApp(), 'Probe');
    new Queue(stack, 'Plain');
    const rules = new AwsSolutionsChecks().validateScope(stack).violations.map((v) => v.ruleName);
    expect(rules).toEqual(expect.arrayContaining(['AwsSolutions-SQS3', 'AwsSolutions-SQS4']));
  });

  it('finds nothing unacknowledged in the whole app (pipeline, dev, prod)', () => {
    const app = testApp();
    new PipelineStack(app, 'CardIssuancePipeline', { settings: loadAppSettings(app) });
    app.synth();
    const report = new AwsSolutionsChecks().validateScope(app);
    expect(report.violations.map((v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
  });

  it('the workload acknowledges only these findings, each with its reason', () => {
    const { stack } = synthStage('prod');
    const acknowledged = acknowledgementsUnder(stack);
    expect(acknowledged.map(({ path, id }) => `${path} ${id}`).sort()).toEqual(
      [
        'Card91AuthWebhook/Role AwsSolutions-IAM5[Resource::*]',
        'CourierWebhook/Role AwsSolutions-IAM5[Resource::*]',
        'CoreBankingEvents/Worker/Handler/Role AwsSolutions-IAM5[Resource::*]',
        'CourierEvents/Worker/Handler/Role AwsSolutions-IAM5[Resource::*]',
        'CardControls/Worker/Handler/Role AwsSolutions-IAM5[Resource::*]',
        'DcmsCredentials AwsSolutions-SMG4',
        'Card91SdkAuthSigning AwsSolutions-SMG4',
        'CourierSecret-bluedart AwsSolutions-SMG4',
        'CourierSecret-bluedart-globex AwsSolutions-SMG4',
        'CourierSecret-delhivery AwsSolutions-SMG4',
        'CourierSecret-shiprocket AwsSolutions-SMG4',
        'Webhooks/Api/POST--card91--auth AwsSolutions-APIG4',
        'Webhooks/Api/POST--couriers--{courier}--events AwsSolutions-APIG4',
      ].sort(),
    );
    for (const { reason } of acknowledged) expect(reason.length).toBeGreaterThan(40);
  });
});

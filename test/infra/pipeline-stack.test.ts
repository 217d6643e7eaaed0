import { createRequire } from 'node:module';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { loadAppSettings } from '../../infra/config/app-config.js';
import { PipelineStack } from '../../infra/stacks/pipeline-stack.js';
import { testApp } from './support.js';

const app = testApp();
const settings = loadAppSettings(app);
const template = Template.fromStack(new PipelineStack(app, 'CardIssuancePipeline', { settings }));
const pipeline = Object.values(template.findResources('AWS::CodePipeline::Pipeline'))[0]!;
const stages = pipeline.Properties.Stages as { Name: string; Actions: { Name: string; RunOrder: number; ActionTypeId: { Category: string; Provider: string }; Configuration?: Record<string, unknown> }[] }[];
const buildSpecs = Object.values(template.findResources('AWS::CodeBuild::Project')).map((p) => String(p.Properties.Source.BuildSpec));

describe('deploy pipeline', () => {
  it('runs source, synth, self-update, assets, dev, then prod', () => {
    expect(stages.map((s) => s.Name)).toEqual(['Source', 'Build', 'UpdatePipeline', 'Assets', 'Dev', 'Prod']);
  });

  it('takes the source from the configured connection and branch', () => {
    const source = stages[0]!.Actions[0]!;
    expect(source.ActionTypeId.Provider).toBe('CodeStarSourceConnection');
    expect(source.Configuration).toMatchObject({ ConnectionArn: settings.pipeline.connectionArn, FullRepositoryId: settings.pipeline.repository, BranchName: settings.pipeline.branch });
  });

  it('synth installs, runs every test and synthesizes, with no version check', () => {
    const synth = buildSpecs.find((spec) => spec.includes('cdk synth'));
    expect(synth).toBeDefined();
    for (const command of ['npm ci --no-audit --no-fund', 'npm test', 'npx cdk synth --quiet']) expect(synth).toContain(command);
    template.hasResourceProperties('AWS::CodeBuild::Project', {
      Environment: { EnvironmentVariables: Match.arrayWith([{ Name: 'CDK_DISABLE_VERSION_CHECK', Type: 'PLAINTEXT', Value: '1' }]) },
    });
  });

  it('updates itself with the CDK CLI the project pins', () => {
    const pinned: string = createRequire(import.meta.url)('aws-cdk/package.json').version;
    expect(buildSpecs.some((spec) => spec.includes(`aws-cdk@${pinned}`))).toBe(true);
  });

  it('asks for a manual approval before anything reaches prod', () => {
    const prod = stages.find((s) => s.Name === 'Prod')!;
    const first = Math.min(...prod.Actions.map((a) => a.RunOrder));
    const firstActions = prod.Actions.filter((a) => a.RunOrder === first);
    expect(firstActions.map((a) => a.ActionTypeId.Category)).toEqual(['Approval']);
    expect(prod.Actions.filter((a) => a.ActionTypeId.Category === 'Deploy').every((a) => a.RunOrder > first)).toBe(true);
  });

  it('encrypts artifacts with a rotating key', () => {
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });
});

import { createRequire } from 'node:module';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { loadAppSettings } from '../../infra/config/app-config.js';
import { SMOKE_TEST_RUNNER_ROLE_NAME, smokeTestRoleName } from '../../infra/smoke/names.js';
import { CHANGE_SET_NAME, PipelineStack } from '../../infra/stacks/pipeline-stack.js';
import { testApp } from './support.js';

const app = testApp();
const settings = loadAppSettings(app);
const stack = new PipelineStack(app, 'CardIssuancePipeline', { settings });
const template = Template.fromStack(stack);
const pipeline = Object.values(template.findResources('AWS::CodePipeline::Pipeline'))[0]!;
type Action = { Name: string; RunOrder: number; ActionTypeId: { Category: string; Provider: string }; Configuration?: Record<string, unknown>; Namespace?: string };
const stages = pipeline.Properties.Stages as { Name: string; Actions: Action[] }[];
const actionsOf = (stage: string) => stages.find((s) => s.Name === stage)!.Actions;
const projects = template.findResources('AWS::CodeBuild::Project');
const buildSpecs = Object.values(projects).map((p) => String(p.Properties.Source.BuildSpec));
/** The CDK CLI version the project pins. */
const pinned: string = createRequire(import.meta.url)('aws-cdk/package.json').version;
const smokeProjectId = Object.keys(projects).find((id) => String(projects[id]!.Properties.Source.BuildSpec).includes('infra/smoke/run.ts'))!;

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

  it('runs the full chaos drills once dev is deployed, before prod', () => {
    const chaos = actionsOf('Dev').find((a) => a.Name === 'ChaosDrills');
    expect(chaos?.ActionTypeId).toMatchObject({ Category: 'Build', Provider: 'CodeBuild' });
    const spec = buildSpecs.find((s) => s.includes('npm run chaos'));
    for (const command of ['npm run chaos', 'npm run chaos -- --drill outage', 'npm run chaos -- --drill slow-commit']) expect(spec).toContain(command);
  });

  it('updates itself with the CDK CLI the project pins', () => {
    expect(buildSpecs.some((spec) => spec.includes(`aws-cdk@${pinned}`))).toBe(true);
  });

  it('runs in the tooling account, and deploys each stage into its own', () => {
    expect([stack.account, stack.region]).toEqual([settings.pipeline.account, settings.pipeline.region]);
    const roleAccount = (stage: string, stackName: string) => JSON.stringify(actionsOf(stage).find((a) => a.Name === `${stackName}.Prepare`)!.Configuration!.RoleArn).match(/iam::(\d{12}):role/)![1];
    expect(roleAccount('Dev', 'CardIssuance')).toBe(settings.stages.dev.account);
    expect(roleAccount('Prod', 'CardIssuance')).toBe(settings.stages.prod.account);
  });

  it('encrypts artifacts with a rotating key', () => {
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });
});

describe('deploy pipeline: prod', () => {
  it('prod: every stack’s change set is created, then approved by a person, then executed', () => {
    const prod = actionsOf('Prod');
    for (const stackName of ['CardIssuanceEdge', 'CardIssuance']) {
      const prepare = prod.find((a) => a.Name === `${stackName}.Prepare`)!;
      const deploy = prod.find((a) => a.Name === `${stackName}.Deploy`)!;
      const approvals = prod.filter((a) => a.Name.startsWith(`${stackName}.Approve`));
      expect(prepare.Configuration).toMatchObject({ ActionMode: 'CHANGE_SET_REPLACE', ChangeSetName: CHANGE_SET_NAME });
      expect(deploy.Configuration).toMatchObject({ ActionMode: 'CHANGE_SET_EXECUTE', ChangeSetName: CHANGE_SET_NAME });
      expect(approvals).toHaveLength(1);
      const [approval] = approvals;
      expect(approval!.ActionTypeId).toMatchObject({ Category: 'Approval', Provider: 'Manual' });
      expect(prepare.RunOrder).toBeLessThan(approval!.RunOrder);
      expect(approval!.RunOrder).toBeLessThan(deploy.RunOrder);
      expect(approval!.Configuration).toMatchObject({
        CustomData: expect.stringContaining(`change set ${CHANGE_SET_NAME} of stack Prod-${stackName}`),
        ExternalEntityLink: expect.stringMatching(
          new RegExp(`^https://${stackName === 'CardIssuanceEdge' ? 'us-east-1' : settings.stages.prod.region}\\.console\\.aws\\.amazon\\.com/cloudformation/.*filteringText=Prod-${stackName}&`),
        ),
      });
    }
    // Nothing runs before a change set exists but the permissions check: the approver always has a diff to read.
    const firstPrepare = Math.min(...prod.filter((a) => a.Name.endsWith('.Prepare')).map((a) => a.RunOrder));
    expect(prod.filter((a) => a.RunOrder < firstPrepare).map((a) => a.Name)).toEqual(['PermissionsBroadening.Check', 'PermissionsBroadening.Confirm']);
  });

  it('prod: a broadening of IAM or security groups waits for a person before any change set is made', () => {
    const [check, confirm] = actionsOf('Prod');
    expect(check!.ActionTypeId).toMatchObject({ Category: 'Build', Provider: 'CodeBuild' });
    expect(JSON.parse(String(check!.Configuration!.EnvironmentVariables))).toContainEqual(expect.objectContaining({ name: 'STAGE_PATH', value: 'CardIssuancePipeline/Prod' }));
    expect(confirm!.ActionTypeId).toMatchObject({ Category: 'Approval', Provider: 'Manual' });
    expect(confirm!.RunOrder).toBeGreaterThan(check!.RunOrder);
    const checkSpec = JSON.stringify(Object.values(projects).find((p) => JSON.stringify(p.Properties.Source.BuildSpec).includes('--security-only'))!.Properties.Source.BuildSpec);
    expect(checkSpec).toContain('cdk diff -a . --security-only --fail');
    // With the CLI the project pins, never whatever npm calls latest.
    expect(checkSpec).toContain(`npm install -g aws-cdk@${pinned}\\"`);
    expect(checkSpec).not.toMatch(/npm install -g aws-cdk\\"/);
  });
});

describe('deploy pipeline: dev', () => {
  it('dev: the smoke test runs after the deployment, against the deployed webhook URL', () => {
    const dev = actionsOf('Dev');
    const deploy = dev.find((a) => a.Name === 'CardIssuance.Deploy')!;
    const smoke = dev.find((a) => a.Name === 'SmokeTest')!;
    expect(smoke.RunOrder).toBeGreaterThan(deploy.RunOrder);
    expect(smoke.Configuration!.ProjectName).toEqual({ Ref: smokeProjectId });
    expect(JSON.parse(String(smoke.Configuration!.EnvironmentVariables))).toEqual([{ name: 'WEBHOOKS_URL', type: 'PLAINTEXT', value: `#{${deploy.Namespace}.WebhooksUrl}` }]);
    const spec = String(projects[smokeProjectId]!.Properties.Source.BuildSpec);
    expect(spec).toContain('npx tsx infra/smoke/run.ts --stage dev');
    expect(spec).toContain('credential_source = EcsContainer');
  });

  it('dev: the smoke build may take the dev smoke-test role and no other', () => {
    const devRole = `arn:aws:iam::${settings.stages.dev.account}:role/${smokeTestRoleName(settings.stages.dev.resourcePrefix)}`;
    const project = projects[smokeProjectId]!.Properties;
    expect(project.Environment.EnvironmentVariables).toContainEqual({ Name: 'SMOKE_TEST_ROLE_ARN', Type: 'PLAINTEXT', Value: devRole });
    const runnerId = (project.ServiceRole as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    expect(template.toJSON().Resources[runnerId].Properties.RoleName).toBe(SMOKE_TEST_RUNNER_ROLE_NAME);
    const assumable = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: runnerId }]))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[])
      .filter((st) => [st.Action].flat().includes('sts:AssumeRole'));
    expect(assumable).toEqual([expect.objectContaining({ Action: 'sts:AssumeRole', Resource: devRole })]);
  });
});

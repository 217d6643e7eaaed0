import { createRequire } from 'node:module';
import { Stack, Tags, type StackProps } from 'aws-cdk-lib';
import { LinuxBuildImage, type CfnProject } from 'aws-cdk-lib/aws-codebuild';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CodeBuildStep, CodePipeline, CodePipelineSource, ConfirmPermissionsBroadening, ManualApprovalStep, ShellStep } from 'aws-cdk-lib/pipelines';
import type { Construct, IConstruct } from 'constructs';
import type { AppSettings } from '../config/app-config.js';
import { stageTags } from '../config/tags.js';
import { SMOKE_TEST_RUNNER_ROLE_NAME, smokeTestRoleName } from '../smoke/names.js';
import { IntegrationStage } from './integration-stage.js';
import { createPipelineLogs, hardenPipeline } from './pipeline/hardening.js';
import { acknowledgePipelineFindings } from './pipeline/nag-acknowledgements.js';

/** The CDK CLI the project pins: self-mutation and asset publishing must not pick up another (aws-cdk@latest has been broken). */
const CDK_CLI_VERSION: string = createRequire(import.meta.url)('aws-cdk/package.json').version;

/** CDK Pipelines' name for the change set it creates in Prepare and executes in Deploy. */
export const CHANGE_SET_NAME = 'PipelineChange';

/**
 * Source → synth (install, test, synth) → dev → smoke test and chaos drills → prod, the pipeline updating itself
 * first. Prod: a permissions-broadening check, then per stack: change set created, approved by a
 * person who has read it, executed.
 */
export class PipelineStack extends Stack {
  readonly pipeline: CodePipeline;

  constructor(scope: Construct, id: string, props: StackProps & { settings: AppSettings }) {
    const { pipeline: source, stages, tags } = props.settings;
    const pipelineTags = stageTags(tags, 'pipeline');
    super(scope, id, { ...props, env: { account: source.account, region: source.region }, tags: pipelineTags });
    for (const [key, value] of Object.entries(pipelineTags)) Tags.of(this).add(key, value);
    const logs = createPipelineLogs(this);
    const input = CodePipelineSource.connection(source.repository, source.branch, { connectionArn: source.connectionArn });

    this.pipeline = new CodePipeline(this, 'Pipeline', {
      pipelineName: 'card-issuance',
      // A KMS key for the artifact bucket: artifacts are encrypted, and every stage lives in another account.
      crossAccountKeys: true,
      enableKeyRotation: true,
      cliVersion: CDK_CLI_VERSION,
      codeBuildDefaults: { buildEnvironment: { buildImage: LinuxBuildImage.STANDARD_7_0 }, logging: { cloudWatch: { logGroup: logs.group } } },
      synth: new ShellStep('Synth', {
        input,
        env: { CDK_DISABLE_VERSION_CHECK: '1' },
        // npm test is lint, type-check and every test suite (DynamoDB Local needs the image's Java).
        commands: ['npm ci --no-audit --no-fund', 'npm test', 'npx cdk synth --quiet'],
      }),
    });
    const stage = (name: 'dev' | 'prod', id: string) => new IntegrationStage(this, id, { name, settings: stages[name], tags, pipelineAccount: source.account });

    const dev = stage('dev', 'Dev');
    const smokeTest = stages.dev.smokeTest ? this.smokeTest(dev, input) : undefined;
    const chaos = chaosDrills(input);
    this.pipeline.addStage(dev, { post: [...(smokeTest ? [smokeTest] : []), chaos] });

    const prod = stage('prod', 'Prod');
    this.pipeline.addStage(prod, {
      // Compares prod's IAM and security groups with what is deployed; any broadening waits for a person's approval.
      pre: [new ConfirmPermissionsBroadening('PermissionsBroadening', { stage: prod })],
      // Each prod stack: its change set is created (Prepare), a person reads it and approves, then it is executed.
      stackSteps: [prod.edge, prod.stack]
        .filter((stack) => stack !== undefined)
        .map((stack) => ({
          stack,
          changeSet: [
            new ManualApprovalStep(`Approve-${stack.stackName}`, {
              comment: `Read change set ${CHANGE_SET_NAME} of stack ${stack.stackName} (account ${stack.account}, ${stack.region}) before approving: every resource it adds, modifies (Replacement = True loses data) or removes. See infra/README.md, "Approving prod".`,
              // The stack in the prod account's console (its change set tab holds PipelineChange); the console wants ARNs to open a change set directly.
              reviewUrl: `https://${stack.region}.console.aws.amazon.com/cloudformation/home?region=${stack.region}#/stacks?filteringText=${encodeURIComponent(stack.stackName)}&filteringStatus=active&viewNested=true`,
            }),
          ],
        })),
    });

    this.pipeline.buildPipeline();
    // The replication bucket's stack in us-east-1 is generated beside this one: tagged like it.
    for (const support of Object.values(this.pipeline.pipeline.crossRegionSupport)) {
      for (const [key, value] of Object.entries(pipelineTags)) {
        Tags.of(support.stack).add(key, value);
        support.stack.tags.setTag(key, value);
      }
    }
    pinSecurityCheckCli(this.pipeline);
    hardenPipeline(this.pipeline, logs);
    acknowledgePipelineFindings(this.pipeline, smokeTest, chaos);
  }

  /**
   * The dev smoke test (infra/smoke/run.ts): a build in this account that takes the stage's
   * smoke-test role (which trusts this build's role only) and drives one courier request and one
   * core-banking event through the deployed stage.
   */
  private smokeTest(stage: IntegrationStage, input: CodePipelineSource): CodeBuildStep {
    const { settings } = stage;
    const stageRole = `arn:${this.partition}:iam::${settings.account}:role/${smokeTestRoleName(settings.resourcePrefix)}`;
    const runner = new Role(this.pipeline, 'SmokeTestRunner', {
      roleName: SMOKE_TEST_RUNNER_ROLE_NAME,
      assumedBy: new ServicePrincipal('codebuild.amazonaws.com'),
      description: 'Runs the post-deploy smoke test; may take the dev stage smoke-test role, nothing else there',
    });
    return new CodeBuildStep('SmokeTest', {
      input,
      role: runner,
      rolePolicyStatements: [new PolicyStatement({ actions: ['sts:AssumeRole'], resources: [stageRole] })],
      env: { SMOKE_TEST_ROLE_ARN: stageRole },
      envFromCfnOutputs: { WEBHOOKS_URL: stage.stack.webhooksUrl },
      commands: [
        'npm ci --no-audit --no-fund',
        // The SDK takes the stage role itself: a profile whose source is the build's own (container) credentials.
        'export AWS_CONFIG_FILE="$(mktemp)"',
        `printf '[profile smoke]\\nrole_arn = %s\\ncredential_source = EcsContainer\\n' "$SMOKE_TEST_ROLE_ARN" > "$AWS_CONFIG_FILE"`,
        `AWS_PROFILE=smoke npx tsx infra/smoke/run.ts --stage ${stage.settingsName}`,
      ],
    });
  }
}

/**
 * The full chaos drills (`npm run chaos`: the fault mix over three seeds, the 90 s outage, the slow
 * commits), too long for every commit's `npm test`, which keeps one short run of each. They run on
 * the build's own local stack once dev is deployed, and prod waits for them.
 */
function chaosDrills(input: CodePipelineSource): CodeBuildStep {
  return new CodeBuildStep('ChaosDrills', {
    input,
    // DynamoDB Local needs the image's Java, as in the synth step.
    commands: ['npm ci --no-audit --no-fund', 'npm run chaos', 'npm run chaos -- --drill outage', 'npm run chaos -- --drill slow-commit'],
  });
}

/**
 * ConfirmPermissionsBroadening's build installs `aws-cdk` unpinned, i.e. whatever npm calls latest
 * (a broken 3.0.0 once); it runs the CLI the project pins instead, like every other build here.
 */
function pinSecurityCheckCli(pipeline: CodePipeline): void {
  const check = pipeline.node.findChild('PipelinesSecurityCheck') as IConstruct & { cdkDiffProject: IConstruct };
  const project = check.cdkDiffProject.node.defaultChild as CfnProject;
  // The install command as it sits in the buildspec JSON text: the CLI name, then the closing quote.
  const unpinned = 'npm install -g aws-cdk"';
  const pin = (value: unknown): unknown => {
    if (typeof value === 'string') return value.replace(unpinned, `npm install -g aws-cdk@${CDK_CLI_VERSION}"`);
    if (Array.isArray(value)) return value.map(pin);
    if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, pin(inner)]));
    return value;
  };
  const buildSpec = Stack.of(pipeline).resolve((project.source as CfnProject.SourceProperty).buildSpec);
  const pinned = pin(buildSpec);
  if (JSON.stringify(pinned) === JSON.stringify(buildSpec)) throw new Error('the permissions check no longer installs aws-cdk as expected: review pinSecurityCheckCli');
  project.addPropertyOverride('Source.BuildSpec', pinned);
}

import { createRequire } from 'node:module';
import { Stack, Tags, Validations, type StackProps } from 'aws-cdk-lib';
import { LinuxBuildImage, type CfnProject } from 'aws-cdk-lib/aws-codebuild';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CodeBuildStep, CodePipeline, CodePipelineSource, ConfirmPermissionsBroadening, ManualApprovalStep, ShellStep } from 'aws-cdk-lib/pipelines';
import type { Construct, IConstruct } from 'constructs';
import type { AppSettings } from '../config/app-config.js';
import { stageTags } from '../config/tags.js';
import { SMOKE_TEST_RUNNER_ROLE_NAME, smokeTestRoleName } from '../smoke/names.js';
import { IntegrationStage } from './integration-stage.js';

/** The CDK CLI the project pins: self-mutation and asset publishing must not pick up another (aws-cdk@latest has been broken). */
const CDK_CLI_VERSION: string = createRequire(import.meta.url)('aws-cdk/package.json').version;

/** CDK Pipelines' name for the change set it creates in Prepare and executes in Deploy. */
export const CHANGE_SET_NAME = 'PipelineChange';

/**
 * Source → synth (install, test, synth) → dev → smoke test → prod, the pipeline updating itself
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
    const input = CodePipelineSource.connection(source.repository, source.branch, { connectionArn: source.connectionArn });

    this.pipeline = new CodePipeline(this, 'Pipeline', {
      pipelineName: 'card-issuance',
      // A KMS key for the artifact bucket: artifacts are encrypted, and every stage lives in another account.
      crossAccountKeys: true,
      enableKeyRotation: true,
      cliVersion: CDK_CLI_VERSION,
      codeBuildDefaults: { buildEnvironment: { buildImage: LinuxBuildImage.STANDARD_7_0 } },
      synth: new ShellStep('Synth', {
        input,
        env: { CDK_DISABLE_VERSION_CHECK: '1' },
        // npm test is lint, type-check and every test suite (DynamoDB Local needs the image's Java).
        commands: ['npm ci --no-audit --no-fund', 'npm test', 'npx cdk synth --quiet'],
      }),
    });
    const stage = (name: 'dev' | 'prod', id: string) =>
      new IntegrationStage(this, id, { name, settings: stages[name], tags, pipelineAccount: source.account });

    const dev = stage('dev', 'Dev');
    const smokeTest = stages.dev.smokeTest ? this.smokeTest(dev, input) : undefined;
    this.pipeline.addStage(dev, { post: smokeTest ? [smokeTest] : [] });

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
    acknowledgePipelineFindings(this.pipeline, smokeTest);
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

/**
 * cdk-nag findings on what CDK Pipelines generates (roles, artifact buckets, the security check),
 * each named exactly. None touches the workload: these are the pipeline's rights on its own
 * buckets, keys, builds and the CDK bootstrap roles.
 */
function acknowledgePipelineFindings(pipeline: CodePipeline, smokeTest?: CodeBuildStep): void {
  const stack = Stack.of(pipeline);
  const logicalId = (construct: IConstruct) => `<${stack.getLogicalId(construct.node.defaultChild as never)}>`;
  const bucket = pipeline.pipeline.artifactBucket;
  const arn = (service: string, resource: string) => `arn:${stack.partition}:${service}:${stack.region}:${stack.account}:${resource}`;
  // Each CodeBuild project's rights on its own log streams and test reports.
  const projectFindings = (project: IConstruct, what: string): Record<string, string> => ({
    [`Resource::${arn('logs', `log-group:/aws/codebuild/${logicalId(project)}:*`)}`]: `Log streams of the ${what} project's own log group.`,
    [`Resource::${arn('codebuild', `report-group/${logicalId(project)}-*`)}`]: `Report groups of the ${what} project.`,
  });
  const securityCheck = pipeline.node.findChild('PipelinesSecurityCheck') as IConstruct & { cdkDiffProject: IConstruct; preApproveLambda: IConstruct };
  const replication = Object.entries(pipeline.pipeline.crossRegionSupport);

  const findings: Record<string, string> = {
    // The artifact buckets, through CDK's bucket and key grants.
    [`Resource::${logicalId(bucket).slice(0, -1)}.Arn>/*`]: 'Objects of the pipeline’s own artifact bucket: artifact names are generated per execution.',
    ...Object.fromEntries(
      replication.map(([region, support]) => [
        `Resource::arn:${stack.partition}:s3:::${stack.resolve(support.replicationBucket.bucketName)}/*`,
        `Objects of the pipeline’s artifact replication bucket in ${region} (the edge stack deploys there): artifact names are generated per execution.`,
      ]),
    ),
    'Action::s3:GetObject*': 'CDK bucket grant (GetObject, GetObjectVersion, …) on the artifact buckets only.',
    'Action::s3:GetBucket*': 'CDK bucket grant (GetBucketLocation, …) on the artifact buckets only.',
    'Action::s3:List*': 'CDK bucket grant (ListBucket, …) on the artifact buckets only.',
    'Action::s3:DeleteObject*': 'CDK bucket grant: stages overwrite their output artifacts in the artifact buckets only.',
    'Action::s3:Abort*': 'CDK bucket grant: multipart uploads of artifacts to the artifact buckets only.',
    'Action::kms:GenerateDataKey*': 'CDK key grant on the artifact keys only (encrypting artifacts).',
    'Action::kms:ReEncrypt*': 'CDK key grant on the artifact keys only.',
    ...projectFindings(pipeline.synthProject, 'synth'),
    ...projectFindings(pipeline.selfMutationProject, 'self-mutation'),
    ...projectFindings(securityCheck.cdkDiffProject, 'permissions-broadening check'),
    ...(smokeTest && projectFindings(smokeTest.project, 'smoke-test')),
    [`Resource::${arn('logs', 'log-group:/aws/codebuild/*')}`]: 'Asset publishing projects are created per asset; their log groups are only known by prefix.',
    [`Resource::${arn('codebuild', 'report-group/*')}`]: 'Asset publishing projects are created per asset; their report groups are only known by prefix.',
  };
  for (const [finding, reason] of Object.entries(findings)) {
    Validations.of(pipeline).acknowledge({ id: `AwsSolutions-IAM5[${finding}]`, reason: `Generated by CDK Pipelines. ${reason}` });
  }
  // The roles with a `*` resource, acknowledged on those roles only.
  Validations.of(pipeline.pipeline.role).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: 'Generated by CDK Pipelines: the KMS grant on the replication bucket key of the us-east-1 support stack, whose ARN this stack cannot know (cross-region); the pipeline account holds no other customer keys.',
  });
  const selfMutationRole = pipeline.selfMutationProject.role!;
  Validations.of(selfMutationRole).acknowledge(
    { id: 'AwsSolutions-IAM5[Resource::*]', reason: 'Generated by CDK Pipelines: cloudformation:DescribeStacks and s3:ListBucket, to read the state of the stacks it updates.' },
    { id: `AwsSolutions-IAM5[Resource::arn:*:iam::${stack.account}:role/*]`, reason: 'Generated by CDK Pipelines: assumes the CDK bootstrap roles, conditioned on their aws-cdk:bootstrap-role tag.' },
  );
  Validations.of(pipeline.node.findChild('Assets').node.findChild('FileRole')).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: 'Generated by CDK Pipelines: codebuild:StartBuild, BatchGetBuilds and StopBuild for the asset publishing projects, created per asset.',
  });
  Validations.of(securityCheck).acknowledge(
    {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Generated by CDK Pipelines (ConfirmPermissionsBroadening): the check assumes the CDK bootstrap deploy roles (conditioned on their aws-cdk:bootstrap-role tag) to diff prod, and its approver function reads and approves pipeline approvals (conditioned on the SECURITY_CHECK resource tag).',
    },
    { id: `AwsSolutions-IAM5[Resource::${logicalId(securityCheck.preApproveLambda).slice(0, -1)}.Arn>:*]`, reason: 'Generated by CDK Pipelines: the check invokes the versions of its own approver function.' },
    { id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]', reason: 'Generated by CDK Pipelines: the approver function writes its own logs.' },
  );
  Validations.of(bucket).acknowledge({
    id: 'AwsSolutions-S1',
    reason: 'Pipeline artifact bucket: written and read only by the pipeline roles, KMS-encrypted, TLS-only; CloudTrail records its API use. An access-log bucket would itself be an unlogged bucket.',
  });
  for (const [, support] of replication) {
    Validations.of(support.replicationBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'Pipeline artifact replication bucket (us-east-1 support stack): written and read only by the pipeline roles, KMS-encrypted; CloudTrail records its API use.',
    });
  }
}

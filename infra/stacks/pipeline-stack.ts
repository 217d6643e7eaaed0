import { createRequire } from 'node:module';
import { Stack, type StackProps } from 'aws-cdk-lib';
import { LinuxBuildImage } from 'aws-cdk-lib/aws-codebuild';
import { CodePipeline, CodePipelineSource, ManualApprovalStep, ShellStep } from 'aws-cdk-lib/pipelines';
import type { Construct } from 'constructs';
import type { AppSettings } from '../config/app-config.js';
import { IntegrationStage } from './integration-stage.js';

/** The CDK CLI the project pins: self-mutation and asset publishing must not pick up another (aws-cdk@latest has been broken). */
const CDK_CLI_VERSION: string = createRequire(import.meta.url)('aws-cdk/package.json').version;

/** Source → synth (install, test, synth) → dev → manual approval → prod. The pipeline updates itself first. */
export class PipelineStack extends Stack {
  constructor(scope: Construct, id: string, props: StackProps & { settings: AppSettings }) {
    super(scope, id, props);
    const { pipeline: source, stages } = props.settings;

    const pipeline = new CodePipeline(this, 'Pipeline', {
      pipelineName: 'card-issuance',
      // A KMS key for the artifact bucket: artifacts are encrypted, and stages may live in other accounts.
      crossAccountKeys: true,
      enableKeyRotation: true,
      cliVersion: CDK_CLI_VERSION,
      codeBuildDefaults: { buildEnvironment: { buildImage: LinuxBuildImage.STANDARD_7_0 } },
      synth: new ShellStep('Synth', {
        input: CodePipelineSource.connection(source.repository, source.branch, { connectionArn: source.connectionArn }),
        env: { CDK_DISABLE_VERSION_CHECK: '1' },
        // npm test is lint, type-check and every test suite (DynamoDB Local needs the image's Java).
        commands: ['npm ci --no-audit --no-fund', 'npm test', 'npx cdk synth --quiet'],
      }),
    });
    pipeline.addStage(new IntegrationStage(this, 'Dev', { settings: stages.dev }));
    pipeline.addStage(new IntegrationStage(this, 'Prod', { settings: stages.prod }), {
      pre: [new ManualApprovalStep('PromoteToProd', { comment: 'Dev is deployed: check its dashboard and alarms, then approve production.' })],
    });
  }
}

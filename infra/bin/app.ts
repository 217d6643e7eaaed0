import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { loadAppSettings } from '../config/app-config.js';
import { PipelineStack } from '../stacks/pipeline-stack.js';

/**
 * The CDK app: the pipeline stack, which holds the dev and prod stages. `cdk synth` builds all of
 * them offline (every function bundled with the local esbuild) and runs cdk-nag's AwsSolutions
 * rules over the whole tree; any unacknowledged finding fails synth.
 */
const app = new App();
new PipelineStack(app, 'CardIssuancePipeline', {
  settings: loadAppSettings(app),
  description: 'Card-issuance integration: delivery pipeline (dev, then prod after approval)',
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

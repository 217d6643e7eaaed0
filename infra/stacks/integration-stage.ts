import { Stage, type StageProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { StageSettings } from '../config/app-config.js';
import { IntegrationStack } from './integration-stack.js';

/** A deployable copy of the integration (dev, prod): the unit the pipeline promotes. */
export class IntegrationStage extends Stage {
  readonly stack: IntegrationStack;

  constructor(scope: Construct, id: string, props: StageProps & { settings: StageSettings }) {
    const { account, region } = props.settings;
    super(scope, id, { ...props, env: { account, region } });
    this.stack = new IntegrationStack(this, 'CardIssuance', {
      settings: props.settings,
      description: `Card-issuance integration workers (${props.settings.resourcePrefix})`,
    });
  }
}

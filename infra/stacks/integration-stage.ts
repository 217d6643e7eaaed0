import { Stage, Tags, type StageProps } from 'aws-cdk-lib';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { ResourceTags, StageSettings } from '../config/app-config.js';
import { stageTags } from '../config/tags.js';
import { credentialHeaders } from '../constructs/waf-logs.js';
import { EDGE_REGION, EdgeStack } from './edge-stack.js';
import { IntegrationStack } from './integration-stack.js';

export interface IntegrationStageProps extends StageProps {
  /** `dev`, `prod`: the stage's settings in cdk.json, and its name in tags. */
  name: 'dev' | 'prod';
  settings: StageSettings;
  tags: ResourceTags;
  /** The account the pipeline runs in (it runs the stage's smoke test). */
  pipelineAccount: string;
}

/**
 * A deployable copy of the integration (dev, prod), the unit the pipeline promotes: in the stage's
 * own account and region, with its edge stack (us-east-1) when its webhooks sit behind CloudFront.
 */
export class IntegrationStage extends Stage {
  readonly settingsName: 'dev' | 'prod';
  readonly settings: StageSettings;
  readonly stack: IntegrationStack;
  readonly edge?: EdgeStack;

  constructor(scope: Construct, id: string, props: IntegrationStageProps) {
    const { settings } = props;
    const { account, region, resourcePrefix: prefix } = settings;
    super(scope, id, { ...props, env: { account, region } });
    this.settingsName = props.name;
    this.settings = settings;
    const tags = stageTags(props.tags, props.name);
    const { floodDefence } = settings.webhooks;
    if (floodDefence.mode === 'cloudfront-waf') {
      this.edge = new EdgeStack(this, 'CardIssuanceEdge', {
        env: { account, region: EDGE_REGION },
        prefix,
        defence: floodDefence,
        logRetention: settings.logRetentionDays as RetentionDays,
        redactedHeaders: credentialHeaders(settings.couriers),
        description: `Card-issuance integration: web ACL of the partner webhooks (${prefix})`,
        tags,
      });
    }
    this.stack = new IntegrationStack(this, 'CardIssuance', {
      settings,
      webAclArn: this.edge?.webAclArn,
      pipelineAccount: props.pipelineAccount,
      crossRegionReferences: this.edge !== undefined,
      description: `Card-issuance integration workers (${prefix})`,
      // Stack tags reach every resource CloudFormation can tag; Tags.of reaches the rest CDK renders.
      tags,
    });
    for (const [key, value] of Object.entries(tags)) Tags.of(this).add(key, value);
  }
}

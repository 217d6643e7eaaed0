import { CfnResource, Stack, TagManager } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { loadAppSettings } from '../../infra/config/app-config.js';
import { stageTags } from '../../infra/config/tags.js';
import { PipelineStack } from '../../infra/stacks/pipeline-stack.js';
import { testApp } from './support.js';

const app = testApp();
const settings = loadAppSettings(app);
new PipelineStack(app, 'CardIssuancePipeline', { settings });
app.synth();
const stacks = app.node.findAll().filter((c): c is Stack => Stack.isStack(c));

/** The stage a stack belongs to, from its place in the app. */
const stageOf = (stack: Stack): string => (/\/Dev\//.test(`${stack.node.path}/`) ? 'dev' : /\/Prod\//.test(`${stack.node.path}/`) ? 'prod' : 'pipeline');

describe('tags: service, stage, owner, cost centre and data classification on every resource', () => {
  it('the tags come from the settings', () => {
    expect(stageTags(settings.tags, 'prod')).toEqual({
      service: settings.tags.service,
      owner: settings.tags.owner,
      'cost-centre': settings.tags.costCentre,
      'data-classification': 'PII',
      stage: 'prod',
    });
  });

  it('covers the pipeline, both stages and every generated stack', () => {
    expect(stacks.map((s) => `${stageOf(s)} ${s.region}`).sort()).toEqual(['dev ap-south-1', 'pipeline ap-south-1', 'pipeline us-east-1', 'prod ap-south-1', 'prod us-east-1']);
  });

  it.each(stacks.map((s) => [s.node.path, s] as const))('%s: the stack and each taggable resource carry them', (_, stack) => {
    const expected = stageTags(settings.tags, stageOf(stack));
    expect(stack.tags.tagValues()).toEqual(expect.objectContaining(expected));
    const untagged = stack.node
      .findAll()
      .filter((c): c is CfnResource => CfnResource.isCfnResource(c) && Stack.of(c) === stack && TagManager.isTaggable(c))
      .filter((resource) => !Object.entries(expected).every(([key, value]) => (TagManager.of(resource)!.tagValues() as Record<string, string>)[key] === value))
      .map((resource) => `${resource.cfnResourceType} ${resource.node.path}`);
    expect(untagged).toEqual([]);
  });
});

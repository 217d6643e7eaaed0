import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { loadAppSettings } from '../../infra/config/app-config.js';
import { credentialHeaders, LOGGED_ACTIONS } from '../../infra/constructs/waf-logs.js';
import { PipelineStack } from '../../infra/stacks/pipeline-stack.js';
import { testApp } from './support.js';

/** Resource types that store or log data: where they are is where the data is. */
const DATA_TYPES = [
  'AWS::DynamoDB::Table',
  'AWS::DynamoDB::GlobalTable',
  'AWS::SQS::Queue',
  'AWS::SNS::Topic',
  'AWS::SecretsManager::Secret',
  'AWS::SSM::Parameter',
  'AWS::Logs::LogGroup',
  'AWS::Logs::Destination',
  'AWS::EC2::FlowLog',
  'AWS::S3::Bucket',
  'AWS::Kinesis::Stream',
  'AWS::KinesisFirehose::DeliveryStream',
  'AWS::WAFv2::LoggingConfiguration',
];

type Resource = { Type: string; Properties?: Record<string, unknown> };

const app = testApp();
const settings = loadAppSettings(app);
const pipeline = new PipelineStack(app, 'CardIssuancePipeline', { settings });
const stageStacks = (name: 'Dev' | 'Prod'): Stack[] => pipeline.node.findChild(name).node.children.filter((c): c is Stack => 'templateOptions' in c);
const resourcesOf = (stack: Stack) => Object.entries(Template.fromStack(stack).toJSON().Resources as Record<string, Resource>);
const stored = (stack: Stack) => resourcesOf(stack).filter(([, r]) => DATA_TYPES.includes(r.Type));

describe.each([
  ['dev', 'Dev'],
  ['prod', 'Prod'],
] as const)('data residency: %s', (name, id) => {
  const { region, resourcePrefix: prefix } = settings.stages[name];
  const stacks = stageStacks(id);

  it('every stack names its region (none is environment-agnostic)', () => {
    for (const stack of stacks) expect(stack.region).toMatch(/^[a-z]{2}-[a-z]+-\d$/);
  });

  it(`everything that stores or logs data is in the stage's region, but the edge's WAF log`, () => {
    if (name === 'prod') expect(region).toBe('ap-south-1');
    const elsewhere = stacks.filter((s) => s.region !== region).flatMap((s) => stored(s).map(([, r]) => `${s.region} ${r.Type} ${JSON.stringify(r.Properties?.LogGroupName ?? '')}`));
    const edge = settings.stages[name].webhooks.floodDefence.mode === 'cloudfront-waf';
    expect(elsewhere.sort()).toEqual(edge ? [`us-east-1 AWS::Logs::LogGroup "aws-waf-logs-${prefix}"`, 'us-east-1 AWS::WAFv2::LoggingConfiguration ""'] : []);
    // And the home stack really holds the data: queues, tables, secrets, configuration, logs.
    const home = stacks.find((s) => s.region === region)!;
    expect(new Set(stored(home).map(([, r]) => r.Type))).toEqual(
      new Set([
        'AWS::DynamoDB::Table',
        'AWS::SQS::Queue',
        'AWS::SNS::Topic',
        'AWS::SecretsManager::Secret',
        'AWS::SSM::Parameter',
        'AWS::Logs::LogGroup',
        ...(settings.stages[name].network.mode === 'vpc' ? ['AWS::EC2::FlowLog'] : []),
      ]),
    );
  });

  it('nothing in the home stack sends data to another region (no replica, no cross-region target); only the distribution names us-east-1', () => {
    const home = stacks.find((s) => s.region === region)!;
    const otherRegion = new RegExp(`\\b(?!${region}\\b)[a-z]{2}-(?:central|north|south|east|west|northeast|northwest|southeast|southwest)-\\d\\b`);
    const naming = resourcesOf(home).filter(([, r]) => otherRegion.test(JSON.stringify(r.Properties ?? {})));
    // The CloudFront distribution: its certificate and web ACL are CloudFront's, which lives in us-east-1; it stores nothing.
    expect(naming.map(([, r]) => r.Type)).toEqual(settings.stages[name].webhooks.floodDefence.mode === 'cloudfront-waf' ? ['AWS::CloudFront::Distribution'] : []);
    for (const [, table] of resourcesOf(home).filter(([, r]) => r.Type === 'AWS::DynamoDB::Table')) expect(table.Properties).not.toHaveProperty('Replicas');
  });
});

describe('data residency: the pipeline', () => {
  it('outside ap-south-1 the pipeline keeps only its artifact replication bucket (templates and bundles, no customer data)', () => {
    const support = Object.values(pipeline.pipeline.pipeline.crossRegionSupport).map((s) => s.stack);
    expect(pipeline.region).toBe(settings.pipeline.region);
    expect(support.map((s) => s.region)).toEqual(['us-east-1']);
    expect(stored(support[0]!).map(([, r]) => r.Type)).toEqual(['AWS::S3::Bucket']);
  });
});

describe('data residency: what the us-east-1 web ACL logs', () => {
  const edge = stageStacks('Prod').find((s) => s.region === 'us-east-1')!;
  const template = Template.fromStack(edge).toJSON() as { Resources: Record<string, Resource> };
  const logging = () => Object.values(template.Resources).find((r) => r.Type === 'AWS::WAFv2::LoggingConfiguration')!.Properties!;

  it('the headers that carry tokens or signatures, and the query string, are redacted', () => {
    const headers = credentialHeaders(settings.stages.prod.couriers);
    expect(headers).toEqual(expect.arrayContaining(['authorization', 'x-signature', 'x-api-key']));
    expect(logging().RedactedFields).toEqual([...headers.map((Name) => ({ SingleHeader: { Name } })), { QueryString: {} }]);
  });

  it('every token courier’s header is among them', () => {
    for (const courier of settings.stages.prod.couriers) if (courier.auth.mode === 'token') expect(credentialHeaders(settings.stages.prod.couriers)).toContain(courier.auth.header);
  });

  it('only requests the edge blocked or counted are kept; those let through are in the access log, in the stage region', () => {
    expect(logging().LoggingFilter).toEqual({
      DefaultBehavior: 'DROP',
      Filters: [{ Behavior: 'KEEP', Requirement: 'MEETS_ANY', Conditions: LOGGED_ACTIONS.map((Action) => ({ ActionCondition: { Action } })) }],
    });
  });

  it('no bodies: WAF logs none, and no rule inspects one (a rule’s matched fragment would be logged)', () => {
    const acl = Object.values(template.Resources).find((r) => r.Type === 'AWS::WAFv2::WebACL')!;
    expect(JSON.stringify(acl.Properties)).not.toMatch(/"(Body|JsonBody|Headers|Cookies)"/);
  });
});

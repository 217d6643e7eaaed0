import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { routePathPattern } from '../../infra/stacks/edge-stack.js';
import { WEBHOOK_ROUTES } from '../../shared/config/resources.js';
import { synthStage } from './support.js';

const prod = synthStage('prod');
const dev = synthStage('dev');
const defence = prod.settings.webhooks.floodDefence;
if (defence.mode !== 'cloudfront-waf') throw new Error('prod is expected behind CloudFront and WAF');
const distribution = () => Object.values(prod.template.findResources('AWS::CloudFront::Distribution'))[0]!.Properties.DistributionConfig;
const rules = () => Object.values(prod.edge!.template.findResources('AWS::WAFv2::WebACL'))[0]!.Properties.Rules as { Name: string; Priority: number; Statement: Record<string, unknown>; Action?: unknown }[];

describe('flood defence: prod behind CloudFront with WAF (a stage setting)', () => {
  it('partners call the edge host name; the distribution forwards everything to the API, caches nothing', () => {
    const config = distribution();
    expect(config.Aliases).toEqual([defence.domainName]);
    expect(config.DefaultCacheBehavior).toMatchObject({
      ViewerProtocolPolicy: 'https-only',
      // Managed policies: CachingDisabled, AllViewerExceptHostHeader (API Gateway needs its own Host).
      CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
      OriginRequestPolicyId: 'b689b0a8-53d0-40ab-baf2-68738e2966ac',
      AllowedMethods: expect.arrayContaining(['POST']),
    });
    const apiId = Object.keys(prod.template.findResources('AWS::ApiGatewayV2::Api'))[0]!;
    expect(config.Origins).toEqual([
      expect.objectContaining({
        DomainName: { 'Fn::Join': ['', [{ Ref: apiId }, '.execute-api.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }]] },
        CustomOriginConfig: { OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] },
      }),
    ]);
    prod.template.hasOutput('WebhooksUrl', { Value: `https://${defence.domainName}` });
  });

  it('viewers on TLS 1.2 with the configured certificate, from the allowed countries only', () => {
    expect(distribution().ViewerCertificate).toEqual({ AcmCertificateArn: defence.certificateArn, MinimumProtocolVersion: 'TLSv1.2_2021', SslSupportMethod: 'sni-only' });
    expect(distribution().Restrictions).toEqual({ GeoRestriction: { RestrictionType: 'whitelist', Locations: defence.allowedCountries } });
  });

  it('the web ACL comes from the edge stack in us-east-1 (CloudFront web ACLs live there)', () => {
    expect(prod.edge!.stack.region).toBe('us-east-1');
    expect(distribution().WebACLId).toEqual({ 'Fn::GetStackOutput': { StackName: prod.edge!.stack.stackName, Region: 'us-east-1', OutputName: expect.any(String) } });
    prod.edge!.template.hasResourceProperties('AWS::WAFv2::WebACL', { Scope: 'CLOUDFRONT', DefaultAction: { Allow: {} } });
  });

  it('dev (api-throttles) has no edge: partners call the API, throttled per route', () => {
    expect(dev.settings.webhooks.floodDefence.mode).toBe('api-throttles');
    dev.template.resourceCountIs('AWS::CloudFront::Distribution', 0);
    const url = dev.template.toJSON().Outputs.WebhooksUrl.Value;
    expect(JSON.stringify(url)).toContain('execute-api');
  });
});

describe('flood defence: the web ACL', () => {
  it('rules: IP reputation, undeclared routes, per-IP rate, per-courier rate, in that order', () => {
    expect(rules().map((r) => [r.Priority, r.Name])).toEqual([
      [0, 'ip-reputation'],
      [1, 'undeclared-route'],
      [2, 'per-ip-rate'],
      [3, 'per-courier-rate'],
    ]);
    const [reputation, undeclared, perIp, perCourier] = rules();
    expect(reputation!.Statement).toEqual({ ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesAmazonIpReputationList' } });
    expect(JSON.stringify(undeclared!.Statement)).toContain(routePathPattern(WEBHOOK_ROUTES.courierEvents.path).replaceAll('\\', '\\\\'));
    expect(perIp!.Statement).toEqual({ RateBasedStatement: { Limit: defence.perIpPer5Minutes, EvaluationWindowSec: 300, AggregateKeyType: 'IP' } });
    expect(perCourier!.Statement).toMatchObject({
      RateBasedStatement: {
        Limit: defence.perCourierPer5Minutes,
        AggregateKeyType: 'CUSTOM_KEYS',
        CustomKeys: [{ UriPath: { TextTransformations: [{ Priority: 0, Type: 'LOWERCASE' }] } }],
        ScopeDownStatement: { ByteMatchStatement: { PositionalConstraint: 'STARTS_WITH', SearchString: '/couriers/' } },
      },
    });
    for (const rule of [undeclared, perIp, perCourier]) expect(rule!.Action).toEqual({ Block: {} });
  });

  it('the declared routes match their paths, one segment per path parameter, and nothing else', () => {
    const courier = new RegExp(routePathPattern(WEBHOOK_ROUTES.courierEvents.path));
    expect(courier.test('/couriers/bluedart/events')).toBe(true);
    expect(courier.test('/couriers/blue/dart/events')).toBe(false);
    expect(courier.test('/couriers/bluedart/events/x')).toBe(false);
    const card91 = new RegExp(routePathPattern(WEBHOOK_ROUTES.card91Auth.path));
    expect([card91.test('/card91/auth'), card91.test('/card91/auth/'), card91.test('/card91Xauth')]).toEqual([true, false, false]);
  });

  it('every request the edge blocks or counts is logged, encrypted (what it keeps: data-residency.test.ts)', () => {
    prod.edge!.template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: `aws-waf-logs-${prod.settings.resourcePrefix}`, KmsKeyId: Match.anyValue() });
    prod.edge!.template.hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
      LogDestinationConfigs: [`arn:aws:logs:us-east-1:${prod.settings.account}:log-group:aws-waf-logs-${prod.settings.resourcePrefix}`],
      LoggingFilter: { DefaultBehavior: 'DROP', Filters: [Match.objectLike({ Behavior: 'KEEP', Conditions: Match.arrayWith([{ ActionCondition: { Action: 'BLOCK' } }]) })] },
    });
  });
});

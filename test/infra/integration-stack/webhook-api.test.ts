import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { WEBHOOK_ROUTES, webhookRouteKey, type WebhookRouteName } from '../../../shared/config/resources.js';
import { getAtt, logicalIdOf, synthStage } from '../support.js';
import { dev, fnId, template } from './stack-setup.js';

const prod = synthStage('prod');

describe('webhook API', () => {
  it.each([
    ['POST /couriers/{courier}/events', 'courier-webhook'],
    ['POST /card91/auth', 'card91-auth-webhook'],
  ] as const)('%s goes to %s (payload 2.0)', (routeKey, service) => {
    const resources = template.toJSON().Resources;
    const route = resources[logicalIdOf(template, 'AWS::ApiGatewayV2::Route', 'RouteKey', routeKey)];
    // Target: integrations/<integration id>
    const integrationId = (route.Properties.Target['Fn::Join'][1] as unknown[]).find((p): p is { Ref: string } => typeof p === 'object' && p !== null && 'Ref' in p)!.Ref;
    expect(resources[integrationId].Properties).toMatchObject({
      IntegrationUri: getAtt(fnId(service)),
      PayloadFormatVersion: '2.0',
    });
  });

  it('serves exactly the declared routes', () => {
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map((r) => r.Properties.RouteKey);
    expect(routes.sort()).toEqual((Object.keys(WEBHOOK_ROUTES) as WebhookRouteName[]).map(webhookRouteKey).sort());
  });

  it.each(['dev', 'prod'] as const)('%s: each route has its own throttle from the stage settings, after the routes exist', (name) => {
    const stage = name === 'dev' ? dev : prod;
    const { routes } = stage.settings.webhooks;
    const [stageId, apiStage] = Object.entries(stage.template.findResources('AWS::ApiGatewayV2::Stage'))[0]!;
    expect(apiStage.Properties.RouteSettings).toEqual(
      Object.fromEntries(
        (Object.keys(WEBHOOK_ROUTES) as WebhookRouteName[]).map((route) => [webhookRouteKey(route), { ThrottlingRateLimit: routes[route].rateLimit, ThrottlingBurstLimit: routes[route].burstLimit }]),
      ),
    );
    // A route flooded to its limit leaves the other route its whole budget: the limits are not one shared bucket.
    expect(routes.card91Auth).not.toBe(routes.courierEvents);
    const routeIds = Object.keys(stage.template.findResources('AWS::ApiGatewayV2::Route'));
    expect(stage.template.toJSON().Resources[stageId].DependsOn).toEqual(expect.arrayContaining(routeIds));
  });

  it('writes access logs with status and latency as numbers (the route metrics read them)', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('"status":\\$context.status,.*"responseLatency":\\$context.responseLatency,') },
    });
    const format = JSON.parse(
      String(Object.values(template.findResources('AWS::ApiGatewayV2::Stage'))[0]!.Properties.AccessLogSettings.Format)
        .replaceAll('$context.status', '202')
        .replaceAll('$context.responseLatency', '35'),
    ) as Record<string, unknown>;
    expect(format).toMatchObject({ routeKey: '$context.routeKey', status: 202, responseLatency: 35 });
  });
});

import { Lazy, Stack, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, LogGroupLogDestination, type CfnStage, type HttpRoute, type HttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { CfnPermission } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { WEBHOOK_ROUTES, webhookRouteKey, type WebhookRouteName } from '../../shared/config/resources.js';
import type { RouteSettings } from '../config/app-config.js';
import type { IntegrationFunction } from './integration-function.js';

export interface WebhookApiProps {
  prefix: string;
  key: IKey;
  logRetention: RetentionDays;
  /** Each declared route's throttle and latency objective. */
  routes: Readonly<Record<WebhookRouteName, RouteSettings>>;
}

/**
 * Access log line: who called which route and how it ended. Deliberately no path parameters other
 * than the route key, no query string and no headers: nothing personal reaches the log. `status`
 * and `responseLatency` are JSON numbers (always set by API Gateway): the route metrics are read
 * from them (WebhookRouteMetrics).
 */
const ACCESS_LOG_FIELDS: Record<string, { value: string; number?: true }> = {
  requestId: { value: '$context.requestId' },
  requestTime: { value: '$context.requestTime' },
  ip: { value: '$context.identity.sourceIp' },
  routeKey: { value: '$context.routeKey' },
  status: { value: '$context.status', number: true },
  protocol: { value: '$context.protocol' },
  responseLength: { value: '$context.responseLength' },
  responseLatency: { value: '$context.responseLatency', number: true },
  integrationStatus: { value: '$context.integration.status' },
  integrationLatency: { value: '$context.integration.latency' },
  integrationError: { value: '$context.integration.error' },
};
export const ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  `{${Object.entries(ACCESS_LOG_FIELDS)
    .map(([name, field]) => `"${name}":${field.number ? field.value : `"${field.value}"`}`)
    .join(',')}}`,
);

/**
 * The HTTP API partners call (couriers, Card91), serving exactly the routes declared in
 * shared/config/resources.ts. Routes have no API Gateway authorizer: every webhook authenticates
 * its caller itself, from what these partners can send (an HMAC or token; Card91's caller secret
 * and sdkAuthToken), and behind CloudFront checks the origin secret first.
 *
 * Each route has its own throttle (stage route settings), so a flood of courier requests is
 * answered 429 on the courier route while Card91's logins keep their own budget. API Gateway cannot
 * throttle by path parameter: per-courier limits are the edge's (WAF, per path) and the webhook's
 * own (per courier, after authentication).
 */
export class WebhookApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;
  readonly routes: Readonly<Record<WebhookRouteName, RouteSettings>>;
  /** RouteSettings is a free-form map in CloudFormation's schema: its entries are written as CloudFormation spells them. */
  private readonly routeSettings: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }> = {};

  constructor(scope: Construct, id: string, props: WebhookApiProps) {
    super(scope, id);
    this.routes = props.routes;
    this.api = new HttpApi(this, 'Api', { apiName: `${props.prefix}-webhooks`, createDefaultStage: false });
    this.accessLogs = new LogGroup(this, 'AccessLogs', { retention: props.logRetention, encryptionKey: props.key });
    // Routes without settings of their own (none are declared) get the tightest route throttle.
    const tightest = Object.values(props.routes).reduce((a, b) => (a.rateLimit <= b.rateLimit ? a : b));
    this.stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: tightest.rateLimit, burstLimit: tightest.burstLimit },
      accessLogSettings: { destination: new LogGroupLogDestination(this.accessLogs), format: ACCESS_LOG_FORMAT },
    });
    (this.stage.node.defaultChild as CfnStage).routeSettings = Lazy.any({ produce: () => this.routeSettings });
  }

  /** Serves the declared route `name` with the function (payload format 2.0), under the route's own throttle. */
  route(name: WebhookRouteName, handler: IntegrationFunction): HttpRoute {
    const { method, path } = WEBHOOK_ROUTES[name];
    const [route] = this.api.addRoutes({ path, methods: [HttpMethod[method]], integration: new HttpLambdaIntegration(`${handler.service}-integration`, handler.function) });
    const { rateLimit, burstLimit } = this.routes[name];
    this.routeSettings[webhookRouteKey(name)] = { ThrottlingRateLimit: rateLimit, ThrottlingBurstLimit: burstLimit };
    // The invoke permission names this API's ARN (SourceArn, an Fn::Join that Control Tower CT.LAMBDA.PR.2 cannot read);
    // the account as a literal too: API Gateway may invoke the function only on behalf of this account.
    for (const permission of route!.node.findAll().filter((c): c is CfnPermission => c instanceof CfnPermission)) permission.sourceAccount = Stack.of(this).account;
    // Route settings name existing routes: the stage is updated after them.
    this.stage.node.addDependency(route!);
    Validations.of(route!).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'Partner webhook: couriers and Card91 cannot present IAM, JWT or Cognito credentials. The function authenticates every request from the request itself (courier: an HMAC signature over timestamp and body, or, where a courier cannot sign, a per-courier token compared in constant time with an optional source-IP allow-list, plus replay protection; Card91: a caller secret header set on the Card91 portal, then a signed sdkAuthToken bound to the mobile and accepted once; behind CloudFront, both first require the origin secret CloudFront adds) before acting on it, and the route has its own throttle.',
    });
    return route!;
  }
}

import { Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, LogGroupLogDestination, type HttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { IntegrationFunction } from './integration-function.js';

export interface WebhookApiProps {
  prefix: string;
  key: IKey;
  logRetention: RetentionDays;
  /** Stage-wide throttling: requests per second and bucket size. */
  throttle: { rateLimit: number; burstLimit: number };
}

/**
 * Access log line: who called which route and how it ended. Deliberately no path parameters other
 * than the route key, no query string and no headers: nothing personal reaches the log.
 */
const ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    requestTime: '$context.requestTime',
    ip: '$context.identity.sourceIp',
    routeKey: '$context.routeKey',
    status: '$context.status',
    protocol: '$context.protocol',
    responseLength: '$context.responseLength',
    responseLatency: '$context.responseLatency',
    integrationStatus: '$context.integration.status',
    integrationLatency: '$context.integration.latency',
    integrationError: '$context.integration.error',
  }),
);

/**
 * The HTTP API partners call (couriers, Card91). Routes have no API Gateway authorizer: every
 * webhook authenticates its caller itself, from the signed body (HMAC, sdkAuthToken), which is the
 * only credential these partners send.
 */
export class WebhookApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;

  constructor(scope: Construct, id: string, props: WebhookApiProps) {
    super(scope, id);
    this.api = new HttpApi(this, 'Api', { apiName: `${props.prefix}-webhooks`, createDefaultStage: false });
    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: props.logRetention, encryptionKey: props.key });
    this.stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle,
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs), format: ACCESS_LOG_FORMAT },
    });
  }

  /** Sends `POST <path>` to the function (payload format 2.0). */
  post(path: string, handler: IntegrationFunction): void {
    const [route] = this.api.addRoutes({ path, methods: [HttpMethod.POST], integration: new HttpLambdaIntegration(`${handler.service}-integration`, handler.function) });
    Validations.of(route!).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'Partner webhook: couriers and Card91 cannot present IAM, JWT or Cognito credentials. The function authenticates every request from the request itself (courier: HMAC signature over timestamp and body with a per-courier key, plus replay protection; Card91: signed sdkAuthToken bound to the mobile) before acting on it, and the stage is throttled.',
    });
  }
}

import { Aws, SecretValue, Validations } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  GeoRestriction,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginSslPolicy,
  PriceClass,
  SecurityPolicyProtocol,
  SSLMethod,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { ORIGIN_VERIFY_HEADER } from '../../shared/edge/origin.js';
import type { FloodDefence } from '../config/app-config.js';
import type { WebhookApi } from './webhook-api.js';

export interface WebhookEdgeProps {
  prefix: string;
  api: WebhookApi;
  defence: Extract<FloodDefence, { mode: 'cloudfront-waf' }>;
  /** The web ACL of the stage's edge stack (us-east-1). */
  webAclArn: string;
  /** `{"current", "previous"?}`: CloudFront sends `current` as the origin header the functions check. */
  originSecret: ISecret;
}

/**
 * CloudFront in front of the webhook API, with the WAF web ACL: the only way to put WAF before an
 * HTTP API. Nothing is cached and every viewer header, query string and body goes to the origin as
 * sent (the HMAC is over the exact body); only Host is CloudFront's own, as API Gateway requires.
 * The managed origin request policy also forwards CloudFront's own headers, CloudFront-Viewer-Address
 * among them: the courier's address, for source-IP allow-lists.
 *
 * Every origin request carries the origin secret (x-origin-verify), which the functions check:
 * the API's own execute-api URL still answers, but only with a 403 (infra/README.md, "No way
 * around the edge"). The template holds a Secrets Manager reference, resolved by CloudFormation
 * at deployment: the value is in no template, code or log.
 */
export class WebhookEdge extends Construct {
  readonly distribution: Distribution;
  readonly url: string;

  constructor(scope: Construct, id: string, props: WebhookEdgeProps) {
    super(scope, id);
    const { defence } = props;
    // CloudFront needs the value itself in its origin configuration: a dynamic reference, pinned to the version
    // the stage configuration names, since CloudFormation reads a secret again only when its reference changes.
    const originSecret = SecretValue.secretsManager(props.originSecret.secretArn, { jsonField: 'current', versionId: defence.originVerifySecretVersion });
    const origin = new HttpOrigin(`${props.api.api.apiId}.execute-api.${Aws.REGION}.${Aws.URL_SUFFIX}`, {
      protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [OriginSslPolicy.TLS_V1_2],
      customHeaders: { [ORIGIN_VERIFY_HEADER]: originSecret.unsafeUnwrap() },
    });
    this.distribution = new Distribution(this, 'Distribution', {
      comment: `${props.prefix}: partner webhooks`,
      defaultBehavior: {
        origin,
        allowedMethods: AllowedMethods.ALLOW_ALL,
        viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
        cachePolicy: CachePolicy.CACHING_DISABLED,
        originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      },
      domainNames: [defence.domainName],
      certificate: Certificate.fromCertificateArn(this, 'Certificate', defence.certificateArn),
      minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
      sslSupportMethod: SSLMethod.SNI,
      geoRestriction: GeoRestriction.allowlist(...defence.allowedCountries),
      webAclId: props.webAclArn,
      // Edge locations in India included (class 200), not the most expensive regions.
      priceClass: PriceClass.PRICE_CLASS_200,
      httpVersion: HttpVersion.HTTP2,
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR3',
      reason:
        'Every request is logged without a CloudFront log bucket: the WAF web ACL logs each one it blocks or counts at the edge (client IP, path, matched rule, credentials and query string redacted; KMS-encrypted CloudWatch Logs in us-east-1) and the API access log records each one that reaches the origin, in the stage region. A bucket of the same data would need ACLs CloudFront standard logging still requires.',
    });
    this.url = `https://${defence.domainName}`;
  }
}

import { ArnFormat, Stack } from 'aws-cdk-lib';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnLoggingConfiguration } from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';
import { CALLER_SECRET_HEADER } from '../../shared/card91/auth-webhook-contract.js';
import { SIGNATURE_HEADER } from '../../shared/courier/signature.js';
import type { StageSettings } from '../config/app-config.js';
import { DataKey } from './data-key.js';

/** The actions whose requests the edge logs: what it stopped or counted. */
export const LOGGED_ACTIONS = ['BLOCK', 'COUNT', 'CAPTCHA', 'CHALLENGE'] as const;

/**
 * Every header that carries a credential: `authorization`, the HMAC signature, and the header of
 * each courier that sends a static token.
 */
export function credentialHeaders(couriers: StageSettings['couriers']): string[] {
  return [...new Set(['authorization', SIGNATURE_HEADER, CALLER_SECRET_HEADER, ...couriers.flatMap((c) => (c.auth.mode === 'token' ? [c.auth.header] : []))])].sort();
}

export interface WafLogsProps {
  prefix: string;
  webAclArn: string;
  logRetention: RetentionDays;
  /** Headers never written to the log (credentialHeaders). */
  redactedHeaders: string[];
}

/**
 * The web ACL's log. CloudFront's web ACLs live in us-east-1, and WAF writes their logs there, out
 * of the stage's region: so the log holds as little as WAF allows. Only requests the edge blocked
 * or counted are kept (those it let through are in the API's access log, in the stage's region);
 * credential headers and the query string are redacted; WAF never logs a body, and no rule of the
 * ACL inspects one, so no matched fragment of a body reaches the log either.
 * Built directly in `scope` (no construct of its own): the logical ids are those already deployed.
 */
export function logWebAcl(scope: Construct, props: WafLogsProps): void {
  const { prefix } = props;
  // WAF writes only to log groups named aws-waf-logs-…, given by an ARN without the trailing `:*`.
  const { key } = new DataKey(scope, 'DataKey', { prefix: `${prefix}-edge`, description: `${prefix}: WAF logs of the partner webhooks` });
  const logGroupName = `aws-waf-logs-${prefix}`;
  const logs = new LogGroup(scope, 'WafLogs', { logGroupName, retention: props.logRetention, encryptionKey: key });
  const logging = new CfnLoggingConfiguration(scope, 'WafLogging', {
    resourceArn: props.webAclArn,
    logDestinationConfigs: [Stack.of(scope).formatArn({ service: 'logs', resource: 'log-group', resourceName: logGroupName, arnFormat: ArnFormat.COLON_RESOURCE_NAME })],
    redactedFields: [...props.redactedHeaders.map((name) => ({ singleHeader: { Name: name } })), { queryString: {} }],
    loggingFilter: {
      DefaultBehavior: 'DROP',
      Filters: [{ Behavior: 'KEEP', Requirement: 'MEETS_ANY', Conditions: LOGGED_ACTIONS.map((action) => ({ ActionCondition: { Action: action } })) }],
    },
  });
  logging.node.addDependency(logs);
}

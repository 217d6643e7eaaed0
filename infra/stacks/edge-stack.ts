import { Stack, type StackProps } from 'aws-cdk-lib';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';
import { WEBHOOK_ROUTES } from '../../shared/config/resources.js';
import type { FloodDefence } from '../config/app-config.js';
import { logWebAcl } from '../constructs/waf-logs.js';

/** CloudFront web ACLs live in us-east-1, whatever the region of what they protect. */
export const EDGE_REGION = 'us-east-1';

/** WAF's rate-based rules count over this window (60, 120, 300 or 600 seconds). */
const RATE_WINDOW_SECONDS = 300;

export interface EdgeStackProps extends StackProps {
  prefix: string;
  defence: Extract<FloodDefence, { mode: 'cloudfront-waf' }>;
  logRetention: RetentionDays;
  /** Headers carrying credentials, never written to the edge's log. */
  redactedHeaders: string[];
}

const visibility = (metricName: string): CfnWebACL.VisibilityConfigProperty => ({ cloudWatchMetricsEnabled: true, metricName, sampledRequestsEnabled: true });

/** `/couriers/{courier}/events` → `^/couriers/[^/]+/events$`: the route's paths, path parameters being one segment. */
export const routePathPattern = (path: string): string =>
  `^${path
    .split(/(\{[^}]+\})/)
    .map((part) => (/^\{[^}]+\}$/.test(part) ? '[^/]+' : part.replace(/[.*+?^$()|[\]\\]/g, '\\$&')))
    .join('')}$`;

/** Matches the requests of one declared route: its method and its path. */
function declaredRoute(method: string, path: string): CfnWebACL.StatementProperty {
  return {
    andStatement: {
      statements: [
        { byteMatchStatement: { fieldToMatch: { method: {} }, positionalConstraint: 'EXACTLY', searchString: method, textTransformations: [{ priority: 0, type: 'NONE' }] } },
        { regexMatchStatement: { fieldToMatch: { uriPath: {} }, regexString: routePathPattern(path), textTransformations: [{ priority: 0, type: 'NONE' }] } },
      ],
    },
  };
}

/** A web ACL rule; its priority is its place in the ACL's list. */
type Rule = Omit<CfnWebACL.RuleProperty, 'priority'>;

/** Every courier's path starts with this (`/couriers/`): the per-courier rate counts only those requests. */
const COURIER_PATH_PREFIX = WEBHOOK_ROUTES.courierEvents.path.slice(0, WEBHOOK_ROUTES.courierEvents.path.indexOf('{'));

/** 1. AWS's IP reputation list (known bots, scanners, DDoS sources). */
const ipReputation = (prefix: string): Rule => ({
  name: 'ip-reputation',
  overrideAction: { none: {} },
  statement: { managedRuleGroupStatement: { vendorName: 'AWS', name: 'AWSManagedRulesAmazonIpReputationList' } },
  visibilityConfig: visibility(`${prefix}-ip-reputation`),
});

/** 2. Anything but a declared route (shared/config/resources.ts). */
function undeclaredRoute(prefix: string): Rule {
  const routes = Object.values(WEBHOOK_ROUTES).map((route) => declaredRoute(route.method, route.path));
  return {
    name: 'undeclared-route',
    action: { block: {} },
    statement: { notStatement: { statement: routes.length === 1 ? routes[0]! : { orStatement: { statements: routes } } } },
    visibilityConfig: visibility(`${prefix}-undeclared-route`),
  };
}

/** 3. More than `perIpPer5Minutes` requests from one IP. */
const perIpRate = (prefix: string, limit: number): Rule => ({
  name: 'per-ip-rate',
  action: { block: {} },
  statement: { rateBasedStatement: { limit, evaluationWindowSec: RATE_WINDOW_SECONDS, aggregateKeyType: 'IP' } },
  visibilityConfig: visibility(`${prefix}-per-ip-rate`),
});

/** 4. More than `perCourierPer5Minutes` requests to one courier's path. */
const perCourierRate = (prefix: string, limit: number): Rule => ({
  name: 'per-courier-rate',
  action: { block: {} },
  statement: {
    rateBasedStatement: {
      limit,
      evaluationWindowSec: RATE_WINDOW_SECONDS,
      aggregateKeyType: 'CUSTOM_KEYS',
      // The courier is a path segment: one counter per path is one counter per courier.
      customKeys: [{ uriPath: { textTransformations: [{ priority: 0, type: 'LOWERCASE' }] } }],
      scopeDownStatement: {
        byteMatchStatement: { fieldToMatch: { uriPath: {} }, positionalConstraint: 'STARTS_WITH', searchString: COURIER_PATH_PREFIX, textTransformations: [{ priority: 0, type: 'NONE' }] },
      },
    },
  },
  visibilityConfig: visibility(`${prefix}-per-courier-rate`),
});

/**
 * The web ACL in front of the webhooks' CloudFront distribution (infra/README.md, "Flood
 * defence"), evaluated in this order:
 *  1. AWS's IP reputation list (known bots, scanners, DDoS sources): blocked.
 *  2. Anything but a declared route (shared/config/resources.ts): blocked at the edge, never billed by API Gateway or Lambda.
 *  3. More than `perIpPer5Minutes` requests from one IP in 5 minutes: that IP is blocked while it stays above.
 *  4. More than `perCourierPer5Minutes` requests to one courier's path in 5 minutes: that courier's path is
 *     blocked while it stays above (the per-courier limit API Gateway cannot express).
 * Every request it blocks or counts is logged (client IP, path, rule), credentials and query string redacted (logWebAcl).
 */
export class EdgeStack extends Stack {
  readonly webAclArn: string;

  constructor(scope: Construct, id: string, props: EdgeStackProps) {
    super(scope, id, props);
    const { prefix, defence } = props;
    const acl = new CfnWebACL(this, 'WebAcl', {
      name: `${prefix}-webhooks`,
      description: `${prefix}: partner webhooks at the edge`,
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      visibilityConfig: visibility(`${prefix}-webhooks`),
      // Evaluated in this order: a rule's priority is its place in the list.
      rules: [ipReputation(prefix), undeclaredRoute(prefix), perIpRate(prefix, defence.perIpPer5Minutes), perCourierRate(prefix, defence.perCourierPer5Minutes)].map((rule, priority) => ({
        ...rule,
        priority,
      })),
    });
    this.webAclArn = acl.attrArn;
    logWebAcl(this, { prefix, webAclArn: acl.attrArn, logRetention: props.logRetention, redactedHeaders: props.redactedHeaders });
  }
}

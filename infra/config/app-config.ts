import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import * as z from 'zod';
import { courierSettings } from '../../shared/courier/couriers.js';
import { WEBHOOK_ROUTES, type WebhookRouteName } from '../../shared/config/resources.js';
import { tenantsDocument } from '../../shared/config/tenants.js';
import { card91WorkerEnv } from '../../shared/config/worker-env.js';
import { entityId, kitNumber, tenantName } from '../../shared/contracts/index.js';
import { EVENT_SOURCE_CONCURRENCY } from './dcms-concurrency.js';

/** The one context key holding this app's settings (cdk.json, or `-c card-issuance=…` to override). */
export const CONTEXT_KEY = 'card-issuance';

const retentionDays = z.number().refine((days) => (Object.values(RetentionDays) as unknown[]).includes(days), 'logRetentionDays must be a CloudWatch Logs retention value (30, 365, …)');

const accountId = z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id');
const region = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as ap-south-1');

/** Throttle and latency objective of one webhook route (API Gateway route settings, alarms). */
const routeSettings = z.object({
  /** Steady requests per second the route accepts; beyond it API Gateway answers 429 before any function runs. */
  rateLimit: z.number().positive(),
  /** Token bucket size: the burst the route absorbs above the steady rate. */
  burstLimit: z.number().int().positive(),
  /** p99 latency above which the route's latency alarm rings (the partner is waiting on the line). */
  latencyP99Ms: z.number().int().positive(),
});

/** One entry per declared webhook route (shared/config/resources.ts): a route cannot be left unthrottled. */
const webhookRoutes = z.object(Object.fromEntries(Object.keys(WEBHOOK_ROUTES).map((name) => [name, routeSettings])) as Record<WebhookRouteName, typeof routeSettings>);

/**
 * What stands in front of the webhooks (infra/README.md, "Flood defence"). WAF cannot attach to an
 * HTTP API: `cloudfront-waf` puts a CloudFront distribution with a WAF web ACL in front of it;
 * `api-throttles` relies on the per-route API Gateway throttles alone.
 */
const floodDefence = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('api-throttles') }),
  z.object({
    mode: z.literal('cloudfront-waf'),
    /** The host name partners call; its certificate (ACM, us-east-1, as CloudFront requires) lets viewers be held to TLS 1.2. */
    domainName: z.string().regex(/^([a-z0-9-]+\.)+[a-z]{2,}$/, 'must be a DNS name'),
    certificateArn: z.string().regex(/^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[0-9a-f-]+$/, 'must be an ACM certificate ARN in us-east-1'),
    /** ISO 3166 country codes allowed at the edge (our partners call from these countries). */
    allowedCountries: z.array(z.string().regex(/^[A-Z]{2}$/)).min(1),
    /** WAF rate-based rules, requests per 5 minutes: per source IP, and per courier (its own path). */
    perIpPer5Minutes: z.number().int().min(10),
    perCourierPer5Minutes: z.number().int().min(10),
    /**
     * The version of the origin-verify secret CloudFront sends (runbook, "Rotate the origin
     * secret"): CloudFormation reads a secret again only when its reference changes. Absent until
     * the first rotation: the version current at the first deployment.
     */
    originVerifySecretVersion: z.uuid().optional(),
  }),
]);

/**
 * Where the functions run (infra/README.md, "Network"). `lambda`: Lambda's own network, reaching AWS
 * and the partners over the internet from AWS's addresses. `vpc`: private subnets of a VPC of the
 * stage's own, AWS services through VPC endpoints, partners through NAT gateways whose Elastic IPs
 * are fixed (exported, for partners that allowlist their callers).
 */
const network = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('lambda') }),
  z.object({
    mode: z.literal('vpc'),
    /** The VPC's IPv4 range: a /16 to /22 the bank's network team has not given elsewhere (peering, Transit Gateway). */
    cidr: z.cidrv4().refine((cidr) => Number(cidr.split('/')[1]) >= 16 && Number(cidr.split('/')[1]) <= 22, 'cidr must be a /16 to /22'),
    /** Named, not looked up: synth stays offline. Two or more, so that one zone's outage leaves the functions running. */
    availabilityZones: z
      .array(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d[a-z]$/, 'must be an availability zone such as ap-south-1a'))
      .min(2)
      .max(3),
    /** One NAT gateway (one egress IP) per zone keeps egress up when a zone fails; each one fewer saves about 41 USD a month (ap-south-1 list price) and one address. */
    natGateways: z.number().int().min(1).max(3),
  }),
]);

/** The dev smoke test the pipeline runs after each deployment (infra/smoke/). */
const smokeTest = z.object({
  /** Courier integration (generic format, HMAC) whose key signs the test request. */
  courier: z.string().min(1),
  /** A kit DCMS knows for that courier's tenant, reserved for smoke tests. */
  kitNo: kitNumber,
  /** Tenant and entityId of the test customer the core-banking event registers (a repeat is reconciled as a duplicate). */
  tenant: tenantName,
  entityId,
});

/**
 * Settings of one stage. Everything that differs between dev and prod, or between banks, is here
 * and nowhere in code: the stacks only read it.
 */
export const stageSettings = z
  .object({
    /** Each stage deploys into its own account: load, limits and permissions of one never reach the other. */
    account: accountId,
    region,
    /** Prefix of every physical name (queues, tables, functions, secrets), as the local stack uses it. */
    resourcePrefix: z.string().regex(/^[a-z][a-z0-9-]{1,30}$/),
    /** Keeps tables, queues, secrets, logs and the key on stack deletion; turns on table deletion protection. */
    retainData: z.boolean(),
    /** Reserves each queue worker's maxConcurrency in the account: no other function can take the capacity they need. */
    reserveWorkerConcurrency: z.boolean(),
    logLevel: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']),
    /** Share of invocations logged at DEBUG whatever the level (Powertools sampling). */
    loggerSampleRate: z.number().min(0).max(1),
    /**
     * Where the functions send their spans: `xray-daemon`, Lambda's X-Ray daemon (out of support from
     * 2027-02-25), or `otlp`, X-Ray's OTLP endpoint, which needs CloudWatch Transaction Search on in
     * the account first (docs/architecture.md, Tracing).
     */
    traces: z.enum(['xray-daemon', 'otlp']).default('xray-daemon'),
    logRetentionDays: retentionDays,
    /** Where alarms are sent: the stage's alarm topic mails this address (ALARM and OK). */
    alarms: z.object({ email: z.email() }),
    dcms: z.object({
      baseUrl: z.url({ protocol: /^https$/ }),
      /** A DCMS answer's usual time: the calls in flight that fill a tenant's budget (see dcms-concurrency.ts). */
      typicalLatencyMs: z.number().int().positive(),
      /**
       * Share of each tenant's DCMS budget the bulk lane (core-banking-bulk) may take; the rest is kept for
       * real-time events (shared/resilience/fleet-rate-limiter.ts). Below 1: a migration never starves real time.
       */
      bulkShare: z.number().gt(0).lt(1),
    }),
    card91: z.object({
      /** Base URL Card91 handed out for this environment (PROD SANDBOX or PRODUCTION). */
      baseUrl: z.url({ protocol: /^https$/ }),
      orgId: card91WorkerEnv.shape.CARD91_ORG_ID,
      /** Card91 publishes no rate limit (429 "in a short window"): a fixed ceiling on the card-controls fleet. */
      maxConcurrency: z.number().int().min(EVENT_SOURCE_CONCURRENCY.min).max(EVENT_SOURCE_CONCURRENCY.max),
    }),
    webhooks: z.object({ routes: webhookRoutes, floodDefence }),
    network,
    /** The tenants document the workers read from SSM, validated by the workers' own schema. */
    tenants: tenantsDocument,
    /**
     * The courier integrations the webhook reads from SSM, by the webhook's own schema. The stack
     * creates each one's HMAC secret and fills in `secretId`.
     */
    couriers: z
      .array(courierSettings.omit({ secretId: true }))
      .min(1)
      .refine((list) => new Set(list.map((c) => c.courier)).size === list.length, 'courier names must be unique'),
    smokeTest: smokeTest.optional(),
  })
  .superRefine((stage, ctx) => {
    const { network: net } = stage;
    if (net.mode === 'vpc') {
      if (net.availabilityZones.some((zone) => zone.slice(0, -1) !== stage.region)) {
        ctx.addIssue({ code: 'custom', path: ['network', 'availabilityZones'], message: `must be zones of the stage's region ${stage.region}` });
      }
      if (net.natGateways > net.availabilityZones.length) ctx.addIssue({ code: 'custom', path: ['network', 'natGateways'], message: 'at most one per availability zone' });
    }
    const smokeCourier = stage.smokeTest && stage.couriers.find((c) => c.courier === stage.smokeTest?.courier);
    if (stage.smokeTest && !smokeCourier) {
      ctx.addIssue({ code: 'custom', path: ['smokeTest', 'courier'], message: 'must be one of the stage couriers' });
    }
    if (smokeCourier && (smokeCourier.format !== 'generic' || smokeCourier.auth.mode !== 'hmac')) {
      ctx.addIssue({ code: 'custom', path: ['smokeTest', 'courier'], message: 'must be a generic-format courier integration signed with HMAC (the smoke test sends a signed request)' });
    }
    if (stage.smokeTest && !stage.tenants.some((t) => t.tenant === stage.smokeTest?.tenant)) {
      ctx.addIssue({ code: 'custom', path: ['smokeTest', 'tenant'], message: 'must be one of the stage tenants' });
    }
  });
export type StageSettings = z.infer<typeof stageSettings>;
export type RouteSettings = z.infer<typeof routeSettings>;
export type FloodDefence = z.infer<typeof floodDefence>;
export type VpcSettings = Extract<z.infer<typeof network>, { mode: 'vpc' }>;
export type SmokeTestSettings = z.infer<typeof smokeTest>;

/** Tags every resource carries (with `stage`): who owns it, who pays, what data it holds. */
const resourceTags = z.object({
  service: z.string().min(1),
  owner: z.string().min(1),
  costCentre: z.string().min(1),
  /** The highest class of data the stage holds: customers' names, mobiles, KYC numbers and kit numbers make it PII. */
  dataClassification: z.enum(['PUBLIC', 'INTERNAL', 'CONFIDENTIAL', 'PII']),
});
export type ResourceTags = z.infer<typeof resourceTags>;

export const appSettings = z
  .object({
    tags: resourceTags,
    pipeline: z.object({
      /** The tooling account and region the pipeline runs in; it deploys each stage into its own account. */
      account: accountId,
      region,
      /** CodeConnections (CodeStar) connection to the repository host. */
      connectionArn: z.string().regex(/^arn:aws[a-z-]*:(codestar-connections|codeconnections):/, 'must be a CodeConnections connection ARN'),
      repository: z.string().regex(/^[^/\s]+\/[^/\s]+$/, 'must be owner/name'),
      branch: z.string().min(1),
    }),
    stages: z.object({ dev: stageSettings, prod: stageSettings }),
  })
  .refine((app) => app.stages.dev.account !== app.stages.prod.account, {
    path: ['stages', 'prod', 'account'],
    message: 'prod must have an account of its own: dev load and dev permissions must never reach it',
  });
export type AppSettings = z.infer<typeof appSettings>;

/** Reads and validates the app's context; a bad setting fails synth with every problem named. */
export function loadAppSettings(scope: Construct): AppSettings {
  const parsed = appSettings.safeParse(scope.node.tryGetContext(CONTEXT_KEY));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || CONTEXT_KEY}: ${i.message}`).join('; ');
    throw new Error(`invalid "${CONTEXT_KEY}" context: ${problems}`);
  }
  return parsed.data;
}

import { fileURLToPath } from 'node:url';
import { Stack, Validations, type Duration } from 'aws-cdk-lib';
import { Policy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, Runtime, type CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE } from '../../shared/observability/telemetry.js';
import type { FunctionNetwork } from './stage-network.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Local esbuild (no Docker), one minified ESM file per function with everything in it, the AWS SDK
 * included: the deployed code runs the SDK versions the lockfile pins and the tests ran, not
 * whichever the runtime ships that month. Exported for bench/cold-start.ts, which bundles the same way.
 */
export const BUNDLING: BundlingOptions = {
  format: OutputFormat.ESM,
  target: 'node24',
  // ESM entry points of dual packages first: they tree-shake; `main` is the CommonJS fallback.
  mainFields: ['module', 'main'],
  // CommonJS dependencies inside an ES module still call require(); give them one.
  banner: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  minify: true,
  sourceMap: true,
  // Stack traces map to file and line; the sources themselves stay out of the artifact.
  sourcesContent: false,
  externalModules: [],
  esbuildArgs: {
    // Lambda gives the role's credentials in the environment: the SDK's chain without its SSO, profile,
    // process and web-identity links (and their nested clients, ~130 KiB). Paths are from the project root.
    '--alias': ['@aws-sdk/credential-provider-node=./shared/config/lambda-credentials.ts'],
  },
};

/** Every function's memory. CPU scales with memory: cold start and the TLS handshakes to DCMS and Card91 are CPU-bound. Read by bench/cost.ts. */
export const FUNCTION_MEMORY_MB = 512;

/** What every function of a stage shares. */
export interface FunctionSettings {
  prefix: string;
  key: IKey;
  logLevel: string;
  loggerSampleRate: number;
  /** Spans to Lambda's X-Ray daemon, or to X-Ray's OTLP endpoint (shared/observability/trace-sinks.ts). */
  traces: 'xray-daemon' | 'otlp';
  logRetention: RetentionDays;
  /** Queue workers reserve their maxConcurrency in the account (prod). */
  reserveWorkerConcurrency: boolean;
  /** The stage's VPC, where the stage runs its functions in one (network mode `vpc`). */
  network?: FunctionNetwork;
}

export interface IntegrationFunctionProps {
  /** The Powertools service name (the `service` dimension) and the function's name; also its folder unless `functionDir` says otherwise. */
  service: string;
  /** Folder under functions/ holding handler.ts, when two functions run the same code (a queue's bulk lane). Default: `service`. */
  functionDir?: string;
  settings: FunctionSettings;
  timeout: Duration;
  /** The function's own variables: names and URLs of its resources, never a secret value. */
  environment: Record<string, string>;
  /** Concurrency set aside for this function in the account (queue workers in prod: their maxConcurrency). */
  reservedConcurrency?: number;
}

/**
 * Writing traces: to the daemon (PutTraceSegments, PutTelemetryRecords) and to the OTLP endpoint
 * (PutSpans, PutSpansForIndexing), granted together so that a stage moves to OTLP by its setting
 * alone. None has resource-level permissions: the one `*` of a role.
 */
export const XRAY_ACTIONS = ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:PutSpans', 'xray:PutSpansForIndexing'];

/**
 * One Lambda function of this project: Node.js 24 on arm64, bundled from functions/<functionDir>/handler.ts,
 * Powertools configured, X-Ray active, logs in its own encrypted group. Its role starts empty (no
 * managed policy): every permission is added by `allow`, on named resources; the X-Ray actions,
 * which have none, sit in a separate policy.
 */
export class IntegrationFunction extends Construct {
  readonly function: NodejsFunction;
  readonly service: string;
  /** The handler file it is bundled from (functions/<functionDir>/handler.ts). */
  readonly entry: string;
  private readonly key: IKey;

  constructor(scope: Construct, id: string, props: IntegrationFunctionProps) {
    super(scope, id);
    const { service, settings } = props;
    this.service = service;
    this.entry = `${REPO_ROOT}functions/${props.functionDir ?? service}/handler.ts`;
    this.key = settings.key;
    const functionName = `${settings.prefix}-${service}`;

    const { network } = settings;
    const role = new Role(this, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com'), description: `${functionName} execution role` });
    // Lambda places the function in the VPC with the role's rights, so they must exist before the function does.
    if (network) role.addManagedPolicy(network.interfacePolicy);
    const logGroup = new LogGroup(this, 'Logs', { logGroupName: `/aws/lambda/${functionName}`, retention: settings.logRetention, encryptionKey: settings.key });
    logGroup.grantWrite(role);

    this.function = new NodejsFunction(this, 'Function', {
      functionName,
      entry: this.entry,
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: `${REPO_ROOT}package-lock.json`,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: FUNCTION_MEMORY_MB,
      timeout: props.timeout,
      role,
      logGroup,
      // Tracing is switched on below, with its permissions in a policy of their own.
      bundling: BUNDLING,
      reservedConcurrentExecutions: props.reservedConcurrency,
      ...(network && { vpc: network.vpc, vpcSubnets: network.subnets, securityGroups: [network.securityGroup] }),
      environment: {
        POWERTOOLS_SERVICE_NAME: service,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: settings.logLevel,
        POWERTOOLS_LOGGER_SAMPLE_RATE: String(settings.loggerSampleRate),
        NODE_OPTIONS: '--enable-source-maps',
        ...(settings.traces === 'otlp' && { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `https://xray.${Stack.of(this).region}.amazonaws.com/v1/traces` }),
        ...props.environment,
      },
    });
    // Active tracing, without `tracing: Tracing.ACTIVE`: that would add the X-Ray statement to the role's default
    // policy, where the policy minimizer merges any other `*` statement into it and one acknowledgement would
    // cover both. In a policy of its own, the acknowledgement covers exactly the X-Ray actions; a `*` added
    // through `allow` lands in the default policy and fails cdk-nag.
    (this.function.node.defaultChild as CfnFunction).tracingConfig = { mode: 'Active' };
    const tracing = new Policy(this, 'Tracing', { roles: [role], statements: [new PolicyStatement({ actions: XRAY_ACTIONS, resources: ['*'] })] });
    this.function.node.addDependency(tracing);
    Validations.of(tracing).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Writing traces (xray:PutTraceSegments, xray:PutTelemetryRecords to the X-Ray daemon; xray:PutSpans, xray:PutSpansForIndexing to the OTLP endpoint) has no resource-level permissions. This policy holds those actions and nothing else; every other statement of the role names its resources.',
    });
  }

  /** Adds one least-privilege statement: these actions, on these resources only. */
  allow(actions: string[], resources: string[]): void {
    this.function.addToRolePolicy(new PolicyStatement({ actions, resources }));
  }

  /** Reads these secrets (Powertools parameters): their values and nothing else, decrypted with the stage key. */
  readSecrets(...secrets: ISecret[]): void {
    this.allow(
      ['secretsmanager:GetSecretValue'],
      secrets.map((s) => s.secretArn),
    );
    this.allow(['kms:Decrypt'], [this.key.keyArn]);
  }
}

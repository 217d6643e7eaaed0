import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { startCard91Sandbox, type RunningCard91Sandbox } from '../../../sandbox/card91/server.js';
import { startDcmsSandbox, type RunningDcmsSandbox } from '../../../sandbox/dcms/server.js';
import type { QueueKey } from '../../../shared/config/resources.js';
import { createResources, startEmulators, type LocalResources } from '../../emulators.js';
import { LOCAL_CARD91_AUTH_URL_HEADERS } from '../../../shared/tooling/local-card91.js';
import type { Accounting } from '../report/accounting.js';
import { localAwsEnvironment, localClients, type LocalEndpoints } from '../../../shared/tooling/local-aws.js';
import type { CallLog } from '../report/call-log.js';
import type { FedCourierScans } from '../feed/courier-scans.js';
import { LOCAL_VISIBILITY_SECONDS } from './event-source-settings.js';
import { FunctionHost } from './function-host-client.js';
import type { LocalCouriers } from './local-couriers.js';
import { LOCAL_PREFIX, type StackEnvironment } from '../../../shared/tooling/stack-settings.js';
import type { Shutdown } from './shutdown.js';
import { CARD91_AUTH_PATH } from './webhook-routes.js';

/** The pieces of a running local stack, filled in step by step as it boots. */
export interface LocalStack {
  endpoints: LocalEndpoints;
  sqs: SQSClient;
  dynamo: DynamoDBClient;
  resources: LocalResources;
  dcms: { url: string; sandbox?: RunningDcmsSandbox };
  card91: { url: string; sandbox?: RunningCard91Sandbox };
  host: FunctionHost;
  accounting: Accounting;
  /** The newest courier scan fed per kit, to check DCMS's final statuses against. */
  courierScans: FedCourierScans;
  dcmsCalls: CallLog;
  card91Calls: CallLog;
  pollerErrors: Map<QueueKey, string>;
  logFile: string;
}

export async function bootEmulators(env: StackEnvironment, stateDir: string | undefined, shutdown: Shutdown): Promise<Pick<LocalStack, 'endpoints' | 'sqs' | 'dynamo'>> {
  const emulators = await shutdown.track(startEmulators({ dynamoPort: env.DYNAMODB_PORT, sqsPort: env.SQS_PORT, ...(stateDir && { stateDir: resolve(stateDir) }) }));
  shutdown.add('DynamoDB Local and fauxqs', () => emulators.stop());
  const endpoints = { sqs: emulators.sqsEndpoint, dynamodb: emulators.dynamoEndpoint };
  const clients = localClients(endpoints);
  shutdown.add('AWS clients', async () => {
    clients.sqs.destroy();
    clients.dynamo.destroy();
  });
  return { endpoints, ...clients };
}

/** Queues, DLQs and tables from the shared description, with the short local visibility timeout. */
export const bootResources = (stack: Pick<LocalStack, 'sqs' | 'dynamo'>): Promise<LocalResources> =>
  createResources(stack.sqs, stack.dynamo, { prefix: LOCAL_PREFIX, visibilityTimeoutSeconds: LOCAL_VISIBILITY_SECONDS });

/** The DCMS sandbox, unless DCMS_BASE_URL names another DCMS. */
export async function bootDcms(env: StackEnvironment, shutdown: Shutdown): Promise<LocalStack['dcms']> {
  if (env.DCMS_BASE_URL) return { url: env.DCMS_BASE_URL };
  const sandbox = await shutdown.track(startDcmsSandbox({ port: env.DCMS_PORT }));
  shutdown.add('DCMS sandbox', () => sandbox.close());
  return { url: sandbox.url, sandbox };
}

/**
 * The Card91 sandbox, unless CARD91_BASE_URL names another. It calls our auth-URL webhook on each
 * customer login, at the webhook port on 127.0.0.1.
 */
export async function bootCard91(env: StackEnvironment, shutdown: Shutdown): Promise<LocalStack['card91']> {
  if (env.CARD91_BASE_URL) return { url: env.CARD91_BASE_URL };
  const sandbox = await shutdown.track(
    startCard91Sandbox({ port: env.CARD91_PORT, authWebhookUrl: `http://127.0.0.1:${env.WEBHOOK_PORT}${CARD91_AUTH_PATH}`, authWebhookHeaders: LOCAL_CARD91_AUTH_URL_HEADERS }),
  );
  shutdown.add('Card91 sandbox', () => sandbox.close());
  return { url: sandbox.url, sandbox };
}

/** Where the functions log: the state directory when there is one, else a fresh temporary directory. */
export async function functionLogFile(stateDir: string | undefined): Promise<string> {
  const directory = stateDir ? resolve(stateDir, 'logs') : await mkdtemp(join(tmpdir(), 'card-issuance-local-'));
  await mkdir(directory, { recursive: true });
  return join(directory, 'functions.log');
}

export interface FunctionsOptions {
  env: StackEnvironment;
  endpoints: LocalEndpoints;
  resources: LocalResources;
  dcmsUrl: string;
  card91Url: string;
  tenantsJson: string;
  couriers: LocalCouriers;
  logFile: string;
  /** Functions log at INFO instead of WARN. */
  verbose: boolean;
  /** Instances of every queue worker. */
  instancesPerWorker: number;
  /** Every queue worker's retry budget. */
  retryBudgetSeconds: number;
  accounting: Accounting;
  dcmsCalls: CallLog;
  card91Calls: CallLog;
  pollerErrors: Map<QueueKey, string>;
  /** The host died on its own: the stack cannot go on. */
  onCrash: (description: string) => void;
}

/** Starts the functions host (see function-host.ts): every worker polling its queue, the webhooks listening. */
export async function bootFunctions(options: FunctionsOptions, shutdown: Shutdown): Promise<FunctionHost> {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_') && name !== 'DCMS_CREDENTIALS_SECRET'));
  const host = await shutdown.track(
    FunctionHost.start({
      configuration: {
        resources: options.resources,
        tenantsJson: options.tenantsJson,
        dcmsBaseUrl: options.dcmsUrl,
        card91BaseUrl: options.card91Url,
        instancesPerWorker: options.instancesPerWorker,
        retryBudgetSeconds: options.retryBudgetSeconds,
        ...(options.env.CARD91_ORG_ID && { card91OrgId: options.env.CARD91_ORG_ID }),
        webhooks: { port: options.env.WEBHOOK_PORT, couriersJson: options.couriers.couriersJson, courierSecretsJson: options.couriers.courierSecretsJson },
      },
      env: {
        // The caller's AWS profile and keys must not leak into local functions: they talk to the emulators only.
        ...inherited,
        ...localAwsEnvironment(options.endpoints),
        POWERTOOLS_LOG_LEVEL: options.verbose ? 'INFO' : (process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN'),
      },
      logFile: options.logFile,
      listeners: {
        onOutcome: (queue, report) => options.accounting.observe(queue, report),
        onDcmsCall: (call) => options.dcmsCalls.record(call.operation, call.outcome, call.durationMs),
        onCard91Call: (call) => options.card91Calls.record(call.method, String(call.status), call.durationMs),
        onPollerError: (queue, error) => options.pollerErrors.set(queue, error),
        onUnexpectedExit: options.onCrash,
      },
    }),
  );
  shutdown.add('functions', () => host.stop());
  return host;
}

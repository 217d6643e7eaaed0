import { resolve } from 'node:path';
import type { ListrTask } from 'listr2';
import { LOCAL_AWS } from '../../../shared/tooling/local-aws.js';
import { bootCard91, bootDcms, bootEmulators, bootFunctions, bootResources, functionLogFile, type LocalStack } from './boot.js';
import type { LocalCouriers } from './local-couriers.js';
import { assertJava, assertPortsFree, type PortClaim } from './prerequisites.js';
import { LOCAL_PREFIX, type StackEnvironment } from '../../../shared/tooling/stack-settings.js';
import type { Shutdown } from './shutdown.js';
import { removeStackFile, writeStackFile } from '../../../shared/tooling/stack-file.js';
import type { LocalTenants } from './tenants-file.js';

export interface BootContext {
  env: StackEnvironment;
  stateDir?: string;
  verbose: boolean;
  /** Instances of every queue worker (`--instances`). */
  instancesPerWorker: number;
  /** Every queue worker's retry budget (`--retry-budget`). */
  retryBudgetSeconds: number;
  tenants: LocalTenants;
  couriers: LocalCouriers;
  shutdown: Shutdown;
  /** Aborted on a stop request: no further step starts. */
  signal: AbortSignal;
  /** The functions host died on its own. */
  onCrash: (description: string) => void;
  startedAt: Date;
  /** Called once everything is up and the stack file is written. */
  onBooted: () => void;
}

function portClaims(env: StackEnvironment): PortClaim[] {
  return [
    { port: env.DYNAMODB_PORT, service: 'DynamoDB Local', variable: 'DYNAMODB_PORT' },
    { port: env.SQS_PORT, service: 'fauxqs (SQS)', variable: 'SQS_PORT' },
    ...(env.DCMS_BASE_URL ? [] : [{ port: env.DCMS_PORT, service: 'DCMS sandbox', variable: 'DCMS_PORT' }]),
    ...(env.CARD91_BASE_URL ? [] : [{ port: env.CARD91_PORT, service: 'Card91 sandbox', variable: 'CARD91_PORT' }]),
    { port: env.WEBHOOK_PORT, service: 'webhooks', variable: 'WEBHOOK_PORT' },
  ];
}

/**
 * Booting the stack as progress tasks, in order. `stack` is filled in step by step: each step
 * reads only what the steps before it set. Everything started is registered with the shutdown.
 */
export function bootTasks(stack: LocalStack, context: BootContext): ListrTask[] {
  return [checkJavaAndPorts, startEmulators, createQueuesAndTables, startPartnerSandboxes, startFunctions].map((boot) => boot(stack, context));
}

type BootStep = (stack: LocalStack, context: BootContext) => ListrTask;

/** A progress task that does not start once a stop has been requested; `run` retitles it with what it did. */
function step(context: BootContext, title: string, run: (task: { title: string }) => Promise<void>): ListrTask {
  return {
    title,
    task: async (_context, task) => {
      context.signal.throwIfAborted();
      await run(task);
    },
  };
}

const checkJavaAndPorts: BootStep = (_stack, context) =>
  step(context, 'Checking Java and ports', async (task) => {
    await assertJava();
    await assertPortsFree(portClaims(context.env));
    task.title = 'Java found, ports free';
  });

const startEmulators: BootStep = (stack, context) =>
  step(context, 'Starting DynamoDB Local and fauxqs', async (task) => {
    Object.assign(stack, await bootEmulators(context.env, context.stateDir, context.shutdown));
    task.title = `DynamoDB Local ${stack.endpoints.dynamodb} · fauxqs ${stack.endpoints.sqs} · ${context.stateDir ? `state in ${resolve(context.stateDir)}` : 'in memory'}`;
  });

const createQueuesAndTables: BootStep = (stack, context) =>
  step(context, 'Creating queues, DLQs and tables', async (task) => {
    stack.resources = await bootResources(stack);
    task.title = `${Object.keys(stack.resources.queues).length} queues with their DLQs, ${Object.keys(stack.resources.tables).length} tables (prefix ${LOCAL_PREFIX})`;
  });

const where = (name: string, partner: { url: string; sandbox?: unknown }, variable: string) => (partner.sandbox ? `${name} sandbox ${partner.url}` : `${name} at ${partner.url} (${variable})`);

const startPartnerSandboxes: BootStep = (stack, context) =>
  step(context, 'Starting the partner sandboxes', async (task) => {
    stack.dcms = await bootDcms(context.env, context.shutdown);
    stack.card91 = await bootCard91(context.env, context.shutdown);
    task.title = `${where('DCMS', stack.dcms, 'DCMS_BASE_URL')} · ${where('Card91', stack.card91, 'CARD91_BASE_URL')}`;
  });

const startFunctions: BootStep = (stack, context) =>
  step(context, 'Starting the functions', async (task) => {
    stack.logFile = await functionLogFile(context.stateDir);
    stack.host = await bootFunctions(
      {
        env: context.env,
        endpoints: stack.endpoints,
        resources: stack.resources,
        dcmsUrl: stack.dcms.url,
        card91Url: stack.card91.url,
        tenantsJson: context.tenants.json,
        couriers: context.couriers,
        logFile: stack.logFile,
        verbose: context.verbose,
        instancesPerWorker: context.instancesPerWorker,
        retryBudgetSeconds: context.retryBudgetSeconds,
        accounting: stack.accounting,
        dcmsCalls: stack.dcmsCalls,
        card91Calls: stack.card91Calls,
        pollerErrors: stack.pollerErrors,
        onCrash: context.onCrash,
      },
      context.shutdown,
    );
    await publishStack(stack, context);
    context.onBooted();
    task.title = `Functions (${context.instancesPerWorker} instances each): ${stack.host.workers.map((w) => w.serviceName).join(', ')}; webhooks at ${stack.host.webhooks.url} (logs: ${stack.logFile})`;
  });

/** From here on the operator CLI can find the stack, until the shutdown removes the file. */
async function publishStack(stack: LocalStack, { env, startedAt, tenants, shutdown }: BootContext): Promise<void> {
  await writeStackFile(env.STACK_FILE, {
    pid: process.pid,
    startedAt: startedAt.toISOString(),
    region: LOCAL_AWS.region,
    prefix: LOCAL_PREFIX,
    endpoints: stack.endpoints,
    dcmsUrl: stack.dcms.url,
    card91Url: stack.card91.url,
    webhooksUrl: stack.host.webhooks.url,
    tenants: tenants.names,
    consumers: stack.host.workers.map((w) => w.queue),
    logFile: stack.logFile,
  });
  shutdown.add('stack file', () => removeStackFile(env.STACK_FILE));
}

/**
 * `npm start`: the whole pipeline on this machine, no AWS account and no Docker. Boots DynamoDB
 * Local and fauxqs, the queues and tables of the shared description, the partner sandboxes and the
 * functions; feeds the demo (or a JSONL file); shows progress while the queues drain; then prints
 * the summary and either exits (--once) or keeps running for the operator CLI until Ctrl-C.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { Command } from 'commander';
import { Listr, type ListrTask } from 'listr2';
import { LOCAL_AWS } from './emulators.js';
import { demoTasks, type DemoState } from './demo/demo-tasks.js';
import { inspectionReader } from './ops/dlq-messages.js';
import { Accounting } from './stack/accounting.js';
import { bootCard91, bootDcms, bootEmulators, bootFunctions, bootResources, functionLogFile, type LocalStack } from './stack/boot.js';
import { CallLog } from './stack/call-log.js';
import { dlqSightings } from './stack/dlq-sightings.js';
import { Feeder } from './stack/feeder.js';
import { localCouriers, type LocalCouriers } from './stack/local-couriers.js';
import { readFeedLines, type FeedLine } from './stack/jsonl.js';
import { assertJava, assertPortsFree, type PortClaim } from './stack/prerequisites.js';
import { Processing } from './stack/processing.js';
import { ENVIRONMENT_HELP, LOCAL_PREFIX, positiveInteger, readEnvironment, type StackEnvironment } from './stack/settings.js';
import { Shutdown } from './stack/shutdown.js';
import { removeStackFile, writeStackFile } from './stack/stack-file.js';
import { buildSummary, type RunSummary } from './stack/summary.js';
import { renderSummary } from './stack/summary-table.js';
import { readTenantsFile, type LocalTenants } from './stack/tenants-file.js';

interface Flags {
  once?: boolean;
  feed?: string;
  report?: string;
  stateDir?: string;
  verbose?: boolean;
  faults: boolean;
  demoCustomers: number;
  timeout: number;
}

const EXIT = { ok: 0, failed: 1, usage: 2 } as const;
/** The shell's convention for a process ended by a signal: 128 + its number. */
const signalExit = (signal: NodeJS.Signals): number => (signal === 'SIGINT' ? 130 : 143);

const program = new Command('npm start --')
  .description('Runs the card-issuance pipeline on local services (DynamoDB Local, fauxqs, partner sandboxes) and feeds it the demo or a file.')
  .option('--once', 'exit when every queue is drained and nothing is in flight; exit code 0 only if every event is accounted for')
  .option('--feed <file.jsonl>', 'feed CloudEvents from a file, one per line, instead of the demo')
  .option('--report <file.json>', 'write the summary as JSON')
  .option('--state-dir <dir>', 'keep DynamoDB and SQS data (and the function logs) here between runs; default: in memory')
  .option('--verbose', 'functions log at INFO instead of WARN (to the log file, never over the progress display)')
  .option('--no-faults', 'run the demo without DCMS sandbox faults')
  .option('--demo-customers <n>', 'customers in the demo dataset', positiveInteger, 150)
  .option('--timeout <seconds>', 'give up when the queues have not drained after this long', positiveInteger, 600)
  .addHelpText('after', ENVIRONMENT_HELP)
  .showHelpAfterError('(npm start -- --help lists every option)');

const shutdown = new Shutdown();

async function main(): Promise<number> {
  program.parse();
  const flags = program.opts<Flags>();
  const startedAt = new Date();

  let env: StackEnvironment;
  let tenants: LocalTenants;
  let feedLines: FeedLine[] | undefined;
  try {
    env = readEnvironment();
    tenants = await readTenantsFile(env.TENANTS_FILE);
    feedLines = flags.feed === undefined ? undefined : await readFeedLines(flags.feed);
  } catch (error) {
    console.error((error as Error).message);
    return EXIT.usage;
  }

  const abort = new AbortController();
  let stoppedBy: NodeJS.Signals | undefined;
  const stopRequested = new Promise<void>((resolveStop) =>
    shutdown.onSignals((signal) => {
      stoppedBy = signal;
      abort.abort(new Error(`stopped by ${signal}`));
      resolveStop();
    }),
  );

  const interactive = Boolean(process.stdout.isTTY);
  const stack = { accounting: new Accounting(), dcmsCalls: new CallLog(), card91Calls: new CallLog(), pollerErrors: new Map() } as unknown as LocalStack;
  const couriers = localCouriers(tenants.names);
  const demo: DemoState = {};
  let processing: Processing | undefined;
  let bootedAt = startedAt;

  /** A boot step that does not start once a stop was asked for. */
  const step = (title: string, run: (task: { title: string }) => Promise<void>): ListrTask => ({
    title,
    task: async (_context, task) => {
      abort.signal.throwIfAborted();
      await run(task);
    },
  });

  const boot = new Listr(
    [
      step('Checking Java and ports', async (task) => {
        await assertJava();
        await assertPortsFree(portClaims(env));
        task.title = 'Java found, ports free';
      }),
      step('Starting DynamoDB Local and fauxqs', async (task) => {
        Object.assign(stack, await bootEmulators(env, flags.stateDir, shutdown));
        task.title = `DynamoDB Local ${stack.endpoints.dynamodb} · fauxqs ${stack.endpoints.sqs} · ${flags.stateDir ? `state in ${resolve(flags.stateDir)}` : 'in memory'}`;
      }),
      step('Creating queues, DLQs and tables', async (task) => {
        stack.resources = await bootResources(stack);
        task.title = `${Object.keys(stack.resources.queues).length} queues with their DLQs, ${Object.keys(stack.resources.tables).length} tables (prefix ${LOCAL_PREFIX})`;
      }),
      step('Starting the partner sandboxes', async (task) => {
        stack.dcms = await bootDcms(env, shutdown);
        stack.card91 = await bootCard91(env, shutdown);
        const where = (name: string, partner: { url: string; sandbox?: unknown }, variable: string) =>
          partner.sandbox ? `${name} sandbox ${partner.url}` : `${name} at ${partner.url} (${variable})`;
        task.title = `${where('DCMS', stack.dcms, 'DCMS_BASE_URL')} · ${where('Card91', stack.card91, 'CARD91_BASE_URL')}`;
      }),
      step('Starting the functions', async (task) => {
        stack.logFile = await functionLogFile(flags.stateDir);
        stack.host = await bootFunctions(
          {
            env,
            endpoints: stack.endpoints,
            resources: stack.resources,
            dcmsUrl: stack.dcms.url,
            card91Url: stack.card91.url,
            tenantsJson: tenants.json,
            couriers,
            logFile: stack.logFile,
            verbose: flags.verbose === true,
            accounting: stack.accounting,
            dcmsCalls: stack.dcmsCalls,
            card91Calls: stack.card91Calls,
            pollerErrors: stack.pollerErrors,
            onCrash: (description) => abort.abort(new Error(`the functions stopped unexpectedly (${description}); see ${stack.logFile}`)),
          },
          shutdown,
        );
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
        bootedAt = new Date();
        task.title = `Functions: ${stack.host.workers.map((w) => w.serviceName).join(', ')}; webhooks at ${stack.host.webhooks.url} (logs: ${stack.logFile})`;
      }),
      {
        title: feedLines ? `Feed ${flags.feed}` : 'Demo',
        task: (_context, task) => {
          processing = new Processing(stack, new Feeder(stack.sqs, stack.resources, new Set(stack.host.workers.map((w) => w.queue)), stack.accounting), {
            interactive,
            signal: abort.signal,
            drainTimeoutMs: flags.timeout * 1_000,
          });
          const lines = feedLines;
          const tasks = lines
            ? [processing.task(`Feeding ${flags.feed}`, async () => ({ lines: lines.map((l) => l.text), lineNumbers: lines.map((l) => l.line) }))]
            : demoTasks(stack, processing, { customers: flags.demoCustomers, tenants: tenants.names, faults: flags.faults }, demo);
          return task.newListr(tasks);
        },
      },
    ],
    {
      // Signals are ours: listr would exit on SIGINT and leave DynamoDB Local's Java process behind.
      registerSignalListeners: false,
      fallbackRendererCondition: !interactive,
      rendererOptions: { collapseSubtasks: false },
    },
  );

  try {
    await boot.run();
    abort.signal.throwIfAborted();
  } catch (error) {
    console.error(stoppedBy ? `Stopped by ${stoppedBy}; cleaning up.` : (abort.signal.reason as Error | undefined)?.message ?? (error as Error).message);
    await shutdown.run();
    return stoppedBy ? signalExit(stoppedBy) : EXIT.failed;
  }

  const summary = await summarize(stack, processing!, startedAt, bootedAt);
  console.log(renderSummary(summary, { color: interactive }));
  if (flags.report) await writeReport(flags.report, summary);

  if (!flags.once) {
    console.log(nextSteps(stack, demo, env, couriers));
    await stopRequested;
    console.log('Stopping…');
  }
  await shutdown.run();
  return summary.ok ? EXIT.ok : EXIT.failed;
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

/** Closes the books: DLQ contents (read without consuming), the functions' DynamoDB counts, DCMS calls. */
async function summarize(stack: LocalStack, processing: Processing, startedAt: Date, bootedAt: Date): Promise<RunSummary> {
  const status = await stack.host.status();
  const queues = stack.host.workers.map((w) => w.queue);
  const sightings = await dlqSightings(inspectionReader(stack.endpoints.sqs), stack.resources, queues);
  return buildSummary({
    accounting: stack.accounting.settle(sightings),
    startedAt,
    bootedAt,
    firstSentAt: processing.firstSentAt ?? bootedAt,
    drainedAt: processing.drainedAt ?? new Date(),
    dcmsUrl: stack.dcms.url,
    dcmsCalls: stack.dcmsCalls.snapshot(),
    ...(stack.dcms.sandbox && { sandbox: stack.dcms.sandbox.stats() }),
    card91Url: stack.card91.url,
    card91Calls: stack.card91Calls.snapshot(),
    ...(stack.card91.sandbox && { card91Sandbox: stack.card91.sandbox.stats() }),
    dynamo: status.dynamo,
    logFile: stack.logFile,
  });
}

async function writeReport(path: string, summary: RunSummary): Promise<void> {
  await mkdir(dirname(resolve(path)), { recursive: true });
  await writeFile(path, `${JSON.stringify(summary, null, 2)}\n`);
  console.log(`Report written to ${path}`);
}

function nextSteps(stack: LocalStack, demo: DemoState, env: StackEnvironment, couriers: LocalCouriers): string {
  const kit = demo.exampleKit;
  const courier = couriers.couriers.find((c) => c.format === 'generic');
  return [
    '',
    'The stack keeps running: functions polling, sandboxes up. Ctrl-C stops everything.',
    'In another terminal:',
    '  npm run ops -- dlq list                               what was dead-lettered, by reason',
    '  npm run ops -- dlq show <message id>                  one record: reason, attempts, masked body',
    '  npm run ops -- dlq redrive --filter code=CUS001       replay the accounts that came before their customer',
    `  npm run ops -- kit ${kit ? `${kit.kitNo} --tenant ${kit.tenant}` : '<kitNo> --tenant <TENANT>'}      a kit's ledger: entity, status, history`,
    '  npm run ops -- send events.jsonl                      feed more events',
    '  npm run ops -- card91 customer --mobile 919876543210    a Card91 cardholder (masked), through our auth webhook',
    ...(courier
      ? [
          `Courier webhook: POST ${stack.host.webhooks.url}/couriers/{courier}/events (couriers: ${couriers.couriers.map((c) => c.courier).join(', ')}); sign a body with`,
          `  COURIER_SIGNING_SECRET=${couriers.signingKey} npm run ops -- sign --courier ${courier.courier} --file body.json --url ${stack.host.webhooks.url}`,
        ]
      : []),
    `DCMS: ${stack.dcms.url}${stack.dcms.sandbox ? ' (GET /__admin/stats, POST /__admin/faults)' : ''}`,
    `Card91: ${stack.card91.url}${stack.card91.sandbox ? ' (GET /__admin/stats, POST /__admin/faults)' : ''}`,
    `Stack description for the ops CLI: ${env.STACK_FILE}`,
  ].join('\n');
}

/** Any way out stops what was started first, a crash included; only once, however many errors follow. */
let failing = false;
const fail = async (error: unknown): Promise<void> => {
  if (failing) return;
  failing = true;
  if ((error as NodeJS.ErrnoException).code !== 'EPIPE') console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  await shutdown.run();
  process.exit(EXIT.failed);
};
process.on('uncaughtException', (error) => void fail(error));
process.on('unhandledRejection', (error) => void fail(error));
// Whoever read our output has gone (`| head`): nothing can be shown any more, so stop cleanly and quietly.
for (const stream of [process.stdout, process.stderr]) stream.on('error', (error) => void fail(error));

main().then((code) => process.exit(code), fail);

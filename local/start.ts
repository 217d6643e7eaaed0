/**
 * `npm start`: the whole pipeline on this machine, no AWS account and no Docker. Boots DynamoDB
 * Local and fauxqs, the queues and tables of the shared description, the partner sandboxes and the
 * functions; feeds the demo (or a JSONL file); shows progress while the queues drain; then prints
 * the summary and either exits (--once) or keeps running for the operator CLI until Ctrl-C.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { Listr, type ListrTask } from 'listr2';
import { parseFaultSettingsJson, type FaultSettings } from '../sandbox/dcms/server.js';
import { demoTasks, type DemoState } from './demo/demo-tasks.js';
import { DEMO_FAULTS, describeFaults } from './demo/faults.js';
import { Accounting } from './stack/report/accounting.js';
import type { LocalStack } from './stack/boot/boot.js';
import { bootTasks } from './stack/boot/boot-tasks.js';
import { LOCAL_INSTANCES_PER_WORKER } from './stack/boot/event-source-settings.js';
import { CallLog } from './stack/report/call-log.js';
import { FedCourierScans } from './stack/feed/courier-scans.js';
import { Feeder } from './stack/feed/feeder.js';
import { readFeedLines, type FeedLine } from './stack/feed/jsonl.js';
import { localCouriers } from './stack/boot/local-couriers.js';
import { nextSteps } from './stack/report/next-steps.js';
import { Processing } from './stack/feed/processing.js';
import { summarizeRun, writeReport } from './stack/report/run-summary.js';
import { ENVIRONMENT_HELP, positiveInteger, readEnvironment, type StackEnvironment } from './stack/boot/settings.js';
import { Shutdown, onParentGone } from './stack/boot/shutdown.js';
import { renderSummary } from './stack/report/summary-table.js';
import { readTenantsFile, type LocalTenants } from './stack/boot/tenants-file.js';

interface Flags {
  once?: boolean;
  feed?: string;
  report?: string;
  stateDir?: string;
  verbose?: boolean;
  faults: boolean;
  dcmsFaults?: FaultSettings;
  demoCustomers: number;
  demoSeed?: number;
  demoValidOnly?: boolean;
  timeout: number;
  instances: number;
}

/** Commander argument parser for `--dcms-faults`: JSON validated like the sandbox's POST /__admin/faults. */
function faultSettings(value: string): FaultSettings {
  try {
    return parseFaultSettingsJson(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

/** Commander argument parser for a whole number, zero included. */
function wholeNumber(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new InvalidArgumentError('must be a whole number');
  return parsed;
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
  .addOption(
    new Option('--dcms-faults <json>', 'DCMS sandbox faults for this run (demo or feed), as POST /__admin/faults takes them, e.g. \'{"errorRate":0.1,"slowCommitRate":0.003,"seed":1}\'').argParser(
      faultSettings,
    ),
  )
  .option('--demo-customers <n>', 'customers in the demo dataset', positiveInteger, 150)
  .option('--demo-seed <n>', 'seed of the demo dataset\'s shapes', wholeNumber)
  .option('--demo-valid-only', 'leave out the demo events meant to fail: any dead letter is then a valid event dead-lettered')
  .option('--timeout <seconds>', 'give up when the queues have not drained after this long', positiveInteger, 600)
  .option('--instances <n>', 'instances of each queue worker, each with its own poller (the deployed maxConcurrency: infra/README.md)', positiveInteger, LOCAL_INSTANCES_PER_WORKER)
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
    if (flags.dcmsFaults && !flags.faults) throw new Error('--dcms-faults and --no-faults contradict each other: give one of them');
    env = readEnvironment();
    if (flags.dcmsFaults && env.DCMS_BASE_URL) throw new Error('--dcms-faults configures the local DCMS sandbox, which DCMS_BASE_URL replaces: unset one of them');
    tenants = await readTenantsFile(env.TENANTS_FILE);
    feedLines = flags.feed === undefined ? undefined : await readFeedLines(flags.feed);
  } catch (error) {
    console.error((error as Error).message);
    return EXIT.usage;
  }

  const abort = new AbortController();
  let stoppedBy: NodeJS.Signals | undefined;
  const stopRequested = new Promise<void>((resolveStop) => {
    const stop = (signal: NodeJS.Signals) => {
      stoppedBy = signal;
      abort.abort(new Error(`stopped by ${signal}`));
      resolveStop();
    };
    shutdown.onSignals(stop);
    // The launcher (npm, a shell) was terminated without passing the signal on: stop as if we had had it.
    onParentGone(() => stop('SIGTERM'));
  });

  const interactive = Boolean(process.stdout.isTTY);
  // Filled in by the boot tasks, in order.
  const stack = {
    accounting: new Accounting(),
    courierScans: new FedCourierScans(),
    dcmsCalls: new CallLog(),
    card91Calls: new CallLog(),
    pollerErrors: new Map(),
  } as unknown as LocalStack;
  const couriers = localCouriers(tenants.names);
  const demo: DemoState = {};
  let bootedAt = startedAt;
  let processing: Processing | undefined;

  const feedTask: ListrTask = {
    title: feedLines ? `Feed ${flags.feed}` : 'Demo',
    task: (_context, task) => {
      const feeder = new Feeder(stack.sqs, stack.resources, new Set(stack.host.workers.map((w) => w.queue)), stack.accounting, stack.courierScans);
      processing = new Processing(stack, feeder, { interactive, signal: abort.signal, drainTimeoutMs: flags.timeout * 1_000 });
      const lines = feedLines;
      const sandbox = stack.dcms.sandbox;
      const feedFaults = sandbox && flags.dcmsFaults;
      return task.newListr(
        lines
          ? [
              processing.task(`Feeding ${flags.feed}${feedFaults ? ` (DCMS faults: ${describeFaults(feedFaults)})` : ''}`, async () => {
                if (feedFaults) sandbox.setFaults(feedFaults);
                return { lines: lines.map((l) => l.text), lineNumbers: lines.map((l) => l.line) };
              }),
              { title: 'Feed done: DCMS faults off', enabled: () => feedFaults !== undefined, task: async () => sandbox?.setFaults({}) },
            ]
          : demoTasks(
              stack,
              processing,
              {
                customers: flags.demoCustomers,
                tenants: tenants.names,
                faults: flags.faults ? (flags.dcmsFaults ?? DEMO_FAULTS) : undefined,
                ...(flags.demoSeed !== undefined && { seed: flags.demoSeed }),
                ...(flags.demoValidOnly && { validOnly: true }),
              },
              demo,
            ),
      );
    },
  };
  const boot = bootTasks(stack, {
    env,
    ...(flags.stateDir !== undefined && { stateDir: flags.stateDir }),
    verbose: flags.verbose === true,
    instancesPerWorker: flags.instances,
    tenants,
    couriers,
    shutdown,
    signal: abort.signal,
    onCrash: (description) => abort.abort(new Error(`the functions stopped unexpectedly (${description}); see ${stack.logFile}`)),
    startedAt,
    onBooted: () => (bootedAt = new Date()),
  });
  const run = new Listr([...boot, feedTask], {
    // Signals are ours: listr would exit on SIGINT and leave DynamoDB Local's Java process behind.
    registerSignalListeners: false,
    fallbackRendererCondition: !interactive,
    rendererOptions: { collapseSubtasks: false },
  });

  try {
    await run.run();
    abort.signal.throwIfAborted();
  } catch (error) {
    console.error(stoppedBy ? `Stopped by ${stoppedBy}; cleaning up.` : ((abort.signal.reason as Error | undefined)?.message ?? (error as Error).message));
    await shutdown.run();
    return stoppedBy ? signalExit(stoppedBy) : EXIT.failed;
  }

  const summary = await summarizeRun(stack, processing!, { startedAt, bootedAt });
  console.log(renderSummary(summary, { color: interactive }));
  if (flags.report) {
    await writeReport(flags.report, summary);
    console.log(`Report written to ${flags.report}`);
  }

  if (!flags.once) {
    console.log(nextSteps(stack, { stackFile: env.STACK_FILE, couriers, ...(demo.exampleKit && { exampleKit: demo.exampleKit }) }));
    await stopRequested;
    console.log('Stopping…');
  }
  await shutdown.run();
  return summary.ok ? EXIT.ok : EXIT.failed;
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

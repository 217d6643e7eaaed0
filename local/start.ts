/**
 * `npm start`: the whole pipeline on this machine, no AWS account and no Docker. Boots DynamoDB
 * Local and fauxqs, the queues and tables of the shared description, the partner sandboxes and the
 * functions; feeds the demo (or a JSONL file); shows progress while the queues drain; then prints
 * the summary and either exits (--once) or keeps running for the operator CLI until Ctrl-C.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { Listr, type ListrTask } from 'listr2';
import { parseFaultSettingsJson, type FaultSettings } from '../sandbox/dcms/server.js';
import type { IssuedKit } from './demo/dataset.js';
import { DEMO_FAULTS } from './demo/faults.js';
import type { LocalStack } from './stack/boot/boot.js';
import { bootTasks, type BootContext } from './stack/boot/boot-tasks.js';
import { LOCAL_INSTANCES_PER_WORKER } from './stack/boot/event-source-settings.js';
import { localCouriers, type LocalCouriers } from './stack/boot/local-couriers.js';
import { ENVIRONMENT_HELP, positiveInteger, readEnvironment, type StackEnvironment } from '../shared/tooling/stack-settings.js';
import { Shutdown } from './stack/boot/shutdown.js';
import { StopRequest } from './stack/boot/stop-request.js';
import { readTenantsFile, type LocalTenants } from './stack/boot/tenants-file.js';
import { FedCourierScans } from './stack/feed/courier-scans.js';
import { feedTask, type FeedResults, type FeedSettings } from './stack/feed/feed-task.js';
import { readFeedLines, type FeedLine } from '../shared/tooling/jsonl.js';
import { Accounting } from './stack/report/accounting.js';
import { CallLog } from './stack/report/call-log.js';
import { nextSteps } from './stack/report/next-steps.js';
import { summarizeRun, writeReport } from './stack/report/run-summary.js';
import type { RunSummary } from './stack/report/summary.js';
import { renderSummary } from './stack/report/summary-table.js';
import { LOCAL_RETRY_BUDGET_SECONDS } from './worker-env.js';

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
  retryBudget: number;
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
  .option('--demo-seed <n>', "seed of the demo dataset's shapes", wholeNumber)
  .option('--demo-valid-only', 'leave out the demo events meant to fail: any dead letter is then a valid event dead-lettered')
  .option('--timeout <seconds>', 'give up when the queues have not drained after this long (never before the retry budget of records still waiting)', positiveInteger, 600)
  .option(
    '--retry-budget <seconds>',
    'how long a record may keep failing for a reason a retry can fix (a platform down, an account waiting on its customer) before it is dead-lettered as Exhausted',
    positiveInteger,
    LOCAL_RETRY_BUDGET_SECONDS,
  )
  .option('--instances <n>', 'instances of each queue worker, each with its own poller (the deployed maxConcurrency: infra/README.md)', positiveInteger, LOCAL_INSTANCES_PER_WORKER)
  .addHelpText('after', ENVIRONMENT_HELP)
  .showHelpAfterError('(npm start -- --help lists every option)');

const shutdown = new Shutdown();

async function main(): Promise<number> {
  const flags = program.parse().opts<Flags>();
  const startedAt = new Date();
  const inputs = await readInputs(flags);
  if (inputs === undefined) return EXIT.usage;

  const run: Run = {
    flags,
    inputs,
    startedAt,
    stop: new StopRequest(shutdown),
    stack: emptyStack(flags.retryBudget),
    couriers: localCouriers(inputs.tenants.names),
    interactive: Boolean(process.stdout.isTTY),
  };
  const results: FeedResults = {};
  let bootedAt = startedAt;
  const boot = bootTasks(
    run.stack,
    bootContext(run, () => (bootedAt = new Date())),
  );
  const stoppedEarly = await runTasks(run, [...boot, feedTask(run.stack, feedSettings(run), results)]);
  if (stoppedEarly !== undefined) return stoppedEarly;

  const summary = await summarizeRun(run.stack, results.processing!, { startedAt, bootedAt });
  await showSummary(run, summary);
  if (!flags.once) await serveUntilStopped(run, results.exampleKit);
  await shutdown.run();
  return summary.ok ? EXIT.ok : EXIT.failed;
}

/** What the run reads before starting anything. */
interface Inputs {
  env: StackEnvironment;
  tenants: LocalTenants;
  feedLines: FeedLine[] | undefined;
}

/** One run of the stack: what it was given and what it has started. */
interface Run {
  flags: Flags;
  inputs: Inputs;
  startedAt: Date;
  stop: StopRequest;
  /** Filled in by the boot tasks, in order. */
  stack: LocalStack;
  couriers: LocalCouriers;
  /** A terminal to show progress on (else plain lines, as in CI). */
  interactive: boolean;
}

/** The environment, the tenants and the feed file, checked with the flags; undefined (the problem printed) when they do not make a run. */
async function readInputs(flags: Flags): Promise<Inputs | undefined> {
  try {
    if (flags.dcmsFaults && !flags.faults) throw new Error('--dcms-faults and --no-faults contradict each other: give one of them');
    const env = readEnvironment();
    if (flags.dcmsFaults && env.DCMS_BASE_URL) throw new Error('--dcms-faults configures the local DCMS sandbox, which DCMS_BASE_URL replaces: unset one of them');
    const tenants = await readTenantsFile(env.TENANTS_FILE);
    const feedLines = flags.feed === undefined ? undefined : await readFeedLines(flags.feed);
    return { env, tenants, feedLines };
  } catch (error) {
    console.error((error as Error).message);
    return undefined;
  }
}

/** The stack before booting: the records the boot tasks wire in; the boot tasks fill in the rest, in order. */
const emptyStack = (retryBudgetSeconds: number): LocalStack =>
  ({
    accounting: new Accounting(retryBudgetSeconds),
    courierScans: new FedCourierScans(),
    dcmsCalls: new CallLog(),
    card91Calls: new CallLog(),
    pollerErrors: new Map(),
  }) as unknown as LocalStack;

function bootContext({ flags, inputs, couriers, stop, startedAt, stack }: Run, onBooted: () => void): BootContext {
  return {
    env: inputs.env,
    ...(flags.stateDir !== undefined && { stateDir: flags.stateDir }),
    verbose: flags.verbose === true,
    instancesPerWorker: flags.instances,
    retryBudgetSeconds: flags.retryBudget,
    tenants: inputs.tenants,
    couriers,
    shutdown,
    signal: stop.signal,
    onCrash: (description) => stop.fail(new Error(`the functions stopped unexpectedly (${description}); see ${stack.logFile}`)),
    startedAt,
    onBooted,
  };
}

function feedSettings({ flags, inputs, stop, interactive }: Run): FeedSettings {
  return {
    feed: inputs.feedLines && { file: flags.feed!, lines: inputs.feedLines },
    demo: {
      customers: flags.demoCustomers,
      tenants: inputs.tenants.names,
      faults: flags.faults ? (flags.dcmsFaults ?? DEMO_FAULTS) : undefined,
      ...(flags.demoSeed !== undefined && { seed: flags.demoSeed }),
      ...(flags.demoValidOnly && { validOnly: true }),
    },
    dcmsFaults: flags.dcmsFaults,
    interactive,
    signal: stop.signal,
    drainTimeoutMs: flags.timeout * 1_000,
  };
}

/** Boots and feeds with progress shown; on a stop request or a failure, cleans up and returns the exit code. */
async function runTasks({ stop, interactive }: Run, tasks: ListrTask[]): Promise<number | undefined> {
  const run = new Listr(tasks, {
    // Signals are ours: listr would exit on SIGINT and leave DynamoDB Local's Java process behind.
    registerSignalListeners: false,
    fallbackRendererCondition: !interactive,
    rendererOptions: { collapseSubtasks: false },
  });
  try {
    await run.run();
    stop.signal.throwIfAborted();
    return undefined;
  } catch (error) {
    console.error(stop.stoppedBy ? `Stopped by ${stop.stoppedBy}; cleaning up.` : (stop.reason?.message ?? (error as Error).message));
    await shutdown.run();
    return stop.stoppedBy ? signalExit(stop.stoppedBy) : EXIT.failed;
  }
}

async function showSummary({ flags, interactive }: Run, summary: RunSummary): Promise<void> {
  console.log(renderSummary(summary, { color: interactive }));
  if (flags.report) {
    await writeReport(flags.report, summary);
    console.log(`Report written to ${flags.report}`);
  }
}

/** Without --once the stack stays up for the operator CLI, with hints on what to try, until a stop request. */
async function serveUntilStopped({ stack, inputs, couriers, stop }: Run, exampleKit: IssuedKit | undefined): Promise<void> {
  console.log(nextSteps(stack, { stackFile: inputs.env.STACK_FILE, couriers, ...(exampleKit && { exampleKit }) }));
  await stop.requested;
  console.log('Stopping…');
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

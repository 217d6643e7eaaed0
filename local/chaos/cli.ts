/**
 * `npm run chaos`: the local stack against a sick DCMS sandbox, once per seed, and a table of what
 * matters: valid events dead-lettered, second cards, kits not in their newest scan's status (all
 * three must be 0), retries and wall time. Exit code 0 only if every run passes.
 *
 *   npm run chaos                                   the fault mix, seeds 1, 2, 3
 *   npm run chaos -- --drill outage                 503 to everything for 90 s, then recovery
 *   npm run chaos -- --drill slow-commit            2% of writes committed 17 s after being sent
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { runChaos } from './chaos.js';
import { DEFAULT_MODE_SETTINGS, faultsFor, type ChaosMode } from './modes.js';
import { renderChaosTable } from './table.js';
import { describeFaults } from '../demo/faults.js';

interface Flags {
  drill?: Exclude<ChaosMode, 'mix'>;
  seeds?: number[];
  customers: number;
  outageSeconds: number;
  slowCommitMs: number;
  timeout: number;
  workDir?: string;
  json?: string;
}

const positive = (text: string): number => {
  const parsed = Number(text);
  if (!Number.isInteger(parsed) || parsed <= 0) throw new InvalidArgumentError('must be a positive whole number');
  return parsed;
};
const seedList = (text: string): number[] => {
  const seeds = text.split(',').map((part) => Number(part.trim()));
  if (seeds.length === 0 || seeds.some((seed) => !Number.isInteger(seed))) throw new InvalidArgumentError('must be whole numbers separated by commas, e.g. 1,2,3');
  return seeds;
};

const program = new Command('npm run chaos --')
  .description('Runs the local stack (npm start --once, demo of valid events) against a misbehaving DCMS sandbox, once per seed, and prints what DCMS ends up with.')
  .addOption(new Option('--drill <drill>', 'a drill instead of the fault mix').choices(['outage', 'slow-commit']))
  .addOption(new Option('--seeds <list>', 'seeds of the dataset and the fault draws (default 1,2,3 for the mix, 1 for a drill)').argParser(seedList))
  .addOption(new Option('--customers <n>', 'demo customers per run (about 4 events each)').argParser(positive).default(120))
  .addOption(new Option('--outage-seconds <s>', 'outage drill: how long DCMS answers 503').argParser(positive).default(DEFAULT_MODE_SETTINGS.outageSeconds))
  .addOption(new Option('--slow-commit-ms <ms>', 'how long after being sent a slow commit lands').argParser(positive).default(DEFAULT_MODE_SETTINGS.slowCommitMs))
  .addOption(new Option('--timeout <s>', 'give up on a demo phase that has not drained after this long').argParser(positive).default(900))
  .option('--work-dir <dir>', "keep each run's report and output here (default: a new temporary folder)")
  .option('--json <file>', 'also write the rows as JSON')
  .showHelpAfterError('(npm run chaos -- --help lists every option)');

async function main(): Promise<number> {
  program.parse();
  const flags = program.opts<Flags>();
  const mode: ChaosMode = flags.drill ?? 'mix';
  const seeds = flags.seeds ?? (mode === 'mix' ? [1, 2, 3] : [1]);
  const settings = { outageSeconds: flags.outageSeconds, slowCommitMs: flags.slowCommitMs };
  const workDir = resolve(flags.workDir ?? (await mkdtemp(join(tmpdir(), 'chaos-'))));
  const color = Boolean(process.stdout.isTTY);
  const title = `Chaos ${mode === 'mix' ? 'fault mix' : `drill: ${mode}`} · DCMS: ${describeFaults(faultsFor(mode, seeds[0] ?? 0, settings))} · ${flags.customers} demo customers per run`;
  console.log(`${title}\nRuns: ${seeds.length} (seeds ${seeds.join(', ')}), one after the other; reports and output in ${workDir}`);

  const rows = await runChaos({
    mode,
    seeds,
    customers: flags.customers,
    settings,
    drainTimeoutSeconds: flags.timeout,
    workDir,
    onRow: (row) => console.log(`seed ${row.seed}: ${row.passed ? 'pass' : 'FAIL'} in ${(row.wallMs / 1_000).toFixed(0)} s (${row.outputFile})`),
  });
  console.log(renderChaosTable(title, rows, { color }));
  if (flags.json) await writeFile(flags.json, `${JSON.stringify({ mode, settings, customers: flags.customers, rows }, null, 2)}\n`);
  const failed = rows.filter((row) => !row.passed).length;
  console.log(failed === 0 ? `All ${rows.length} run(s) passed: 0 valid events dead-lettered, 0 second cards, every kit in its newest status.` : `${failed} of ${rows.length} run(s) FAILED.`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);

/**
 * `npm run sim`: the fleet simulator (docs/RELIABILITY.md, "The fleet simulator"). Runs seeds of
 * the real workers over simulated SQS, DynamoDB, DCMS, Card91 and Lambda in virtual time and checks
 * the invariants; a failing seed prints its violations and replays exactly with `--seed S --trace`.
 */
import { Command, Option } from 'commander';
import { SingleBar } from 'cli-progress';
import { quietWorkers } from './quiet.js';
import { runSeed, SAFEGUARD_NAMES, type SafeguardName, type SeedResult } from './run-seed.js';

const program = new Command('sim')
  .description('Deterministic simulation of the worker fleet: exit code 1 and the failing seed on any violated invariant')
  .option('--seed <n>', 'run this one seed', (v) => Number.parseInt(v, 10))
  .option('--seeds <n>', 'run this many seeds, from --from', (v) => Number.parseInt(v, 10), 200)
  .option('--from <n>', 'first seed of a range', (v) => Number.parseInt(v, 10), 1)
  .option('--trace', "print the seed's trace (with --seed)")
  .option('--keep-going', 'run every seed even after a violation; report how many failed')
  .addOption(new Option('--disable <safeguard...>', 'switch a safeguard off (the simulator only), to show what it keeps').choices([...SAFEGUARD_NAMES]))
  .parse();

const options = program.opts<{ seed?: number; seeds: number; from: number; trace?: boolean; keepGoing?: boolean; disable?: SafeguardName[] }>();
const disable = new Set(options.disable ?? []);
quietWorkers();

function report(result: SeedResult): void {
  console.log(
    `seed ${result.seed}: ${result.violations.length} violation(s), ${result.events} events, ${result.virtualSeconds} s simulated, ${result.invocations.started} invocations (${result.invocations.killed} killed)`,
  );
  for (const v of result.violations) console.log(`  ✗ ${v.invariant}: ${v.detail}`);
}

if (options.seed !== undefined) {
  const result = await runSeed(options.seed, { disable, trace: options.trace ?? false });
  if (options.trace) console.log(result.trace.join('\n'));
  report(result);
  process.exitCode = result.violations.length > 0 ? 1 : 0;
} else {
  const bar = process.stderr.isTTY ? new SingleBar({ format: 'seeds {bar} {value}/{total} | {rate} seeds/s | failed {failed}', hideCursor: true }) : undefined;
  bar?.start(options.seeds, 0, { rate: 0, failed: 0 });
  const started = performance.now();
  let failed = 0;
  let first: SeedResult | undefined;
  let done = 0;
  for (let seed = options.from; seed < options.from + options.seeds; seed++) {
    const result = await runSeed(seed, { disable });
    done += 1;
    if (result.violations.length > 0) {
      failed += 1;
      first ??= result;
      if (!options.keepGoing) break;
    }
    bar?.update(done, { rate: (done / ((performance.now() - started) / 1_000)).toFixed(0), failed });
  }
  bar?.stop();
  const seconds = (performance.now() - started) / 1_000;
  console.log(`${done} seed(s) in ${seconds.toFixed(1)} s: ${(done / seconds).toFixed(1)} seeds/s; ${failed} failed${disable.size > 0 ? ` (disabled: ${[...disable].join(', ')})` : ''}`);
  if (first) {
    report(first);
    console.log(`replay: npm run sim -- --seed ${first.seed} --trace${disable.size > 0 ? ` --disable ${[...disable].join(' ')}` : ''}`);
  }
  process.exitCode = failed > 0 ? 1 : 0;
}

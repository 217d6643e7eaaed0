import { join } from 'node:path';
import { faultsFor, type ChaosMode, type ModeSettings } from './modes.js';
import { chaosRow, type ChaosRow } from './results.js';
import { runStack } from './stack-run.js';

export interface ChaosOptions {
  mode: ChaosMode;
  seeds: readonly number[];
  /** Demo customers per run: about 4.2 events each (valid-only demo, both phases). */
  customers: number;
  settings: ModeSettings;
  /** The stack's --timeout: how long each demo phase may take to drain. */
  drainTimeoutSeconds: number;
  /** Each run's report and output go in a folder of its own under this one. */
  workDir: string;
  /** Called as each run finishes. */
  onRow?: (row: ChaosRow) => void;
}

/** Room for booting, the sandbox's longest pending call (125 s) and shutting down, beyond two drains. */
const RUN_MARGIN_MS = 240_000;

/**
 * Runs the local stack once per seed, each run on its own ports: the demo, valid events only (so
 * any dead letter is a valid event's), with the DCMS sandbox misbehaving as the mode says, the
 * dataset and the faults both drawn from the seed. Runs are one after the other: the machine's
 * cores go to the stack, not to running two at once.
 */
export async function runChaos(options: ChaosOptions): Promise<ChaosRow[]> {
  const rows: ChaosRow[] = [];
  for (const seed of options.seeds) {
    const faults = faultsFor(options.mode, seed, options.settings);
    const run = await runStack({
      workDir: join(options.workDir, `${options.mode}-seed-${seed}`),
      killAfterMs: 2 * options.drainTimeoutSeconds * 1_000 + RUN_MARGIN_MS,
      args: [
        '--once',
        '--demo-customers',
        String(options.customers),
        '--demo-valid-only',
        '--demo-seed',
        String(seed),
        '--dcms-faults',
        JSON.stringify(faults),
        '--timeout',
        String(options.drainTimeoutSeconds),
      ],
    });
    const row = chaosRow(seed, run);
    rows.push(row);
    options.onRow?.(row);
  }
  return rows;
}

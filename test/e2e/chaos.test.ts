import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runChaos, type ChaosOptions } from '../../local/chaos/chaos.js';
import { DEFAULT_MODE_SETTINGS } from '../../local/chaos/modes.js';
import type { ChaosRow } from '../../local/chaos/results.js';

/**
 * One short seed of each `npm run chaos` drill: the whole local stack (npm start --once, the demo's
 * valid events) against a sick DCMS sandbox. Whatever DCMS does, a valid event is never
 * dead-lettered, DCMS never issues a second card, and every kit ends in its newest scan's status,
 * read from DCMS's own state. The full drills (more seeds and customers, the 90 s outage) run in
 * the deploy pipeline before prod (infra/stacks/pipeline-stack.ts).
 */
describe('chaos: the local stack against a sick DCMS', () => {
  let workDir: string;
  /** A failed run's report and output stay, for the failure message names them. */
  let keep = false;
  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'chaos-e2e-'));
  });
  afterAll(async () => {
    if (!keep) await rm(workDir, { recursive: true, force: true });
  });

  const run = (options: Pick<ChaosOptions, 'mode' | 'seeds' | 'customers'> & { outageSeconds?: number }) =>
    runChaos({
      ...options,
      settings: { ...DEFAULT_MODE_SETTINGS, ...(options.outageSeconds !== undefined && { outageSeconds: options.outageSeconds }) },
      drainTimeoutSeconds: 300,
      workDir,
    });

  /** The three zeros, and every event accounted for; the codes say why when it fails. */
  const zeros = (row: ChaosRow) => ({
    seed: row.seed,
    validDeadLettered: row.validDeadLettered,
    deadLetterCodes: row.deadLetterCodes,
    secondCards: row.secondCards,
    kitsNotInNewestStatus: row.kitsNotInNewestStatus,
    unaccounted: row.unaccounted,
  });
  const expectZeros = (row: ChaosRow) => {
    keep ||= !row.passed;
    expect(row.events, row.outputFile).toBeDefined();
    expect(zeros(row), row.outputFile).toEqual({ seed: row.seed, validDeadLettered: 0, deadLetterCodes: [], secondCards: 0, kitsNotInNewestStatus: 0, unaccounted: 0 });
    expect(row.kitsChecked).toBeGreaterThan(0);
    expect(row.passed).toBe(true);
  };

  it('the fault mix (10% 5xx, 5% 429, 3% 5xx and 2% drops after committing, 0.3% commits after 17 s), one seed', async () => {
    const [row] = await run({ mode: 'mix', seeds: [101], customers: 20 });
    expect(row!.events, row!.outputFile).toBeGreaterThanOrEqual(80);
    expect(row!.injectedFaults.error).toBeGreaterThan(0);
    expectZeros(row!);
  }, 600_000);

  it('an outage: DCMS answers 503 to everything for 10 s in each demo phase, then recovers', async () => {
    const [row] = await run({ mode: 'outage', seeds: [201], customers: 20, outageSeconds: 10 });
    expectZeros(row!);
    expect(row!.injectedFaults.error).toBeGreaterThan(0);
    expect(row!.retries).toBeGreaterThan(0);
  }, 600_000);

  it('slow commits: 2% of writes committed 17 s after being sent, and never a second card', async () => {
    const [row] = await run({ mode: 'slow-commit', seeds: [301], customers: 30 });
    expect(row!.injectedFaults.slowCommit).toBeGreaterThan(0);
    expectZeros(row!);
  }, 600_000);
});

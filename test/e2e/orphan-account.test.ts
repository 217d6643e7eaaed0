import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { isolatedStackEnv } from '../../local/isolated-stack-env.js';
import type { RunSummary } from '../../local/stack/report/summary.js';
import { accountOpened, customerCreated } from '../support/events.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Short enough for a test, longer than the drain timeout below: the run must outwait the timeout, not the budget. */
const BUDGET_SECONDS = 25;
const TIMEOUT_SECONDS = 5;

let child: ChildProcess | undefined;
let workDir: string | undefined;

afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGTERM');
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

/**
 * An account whose customer never comes waits on it (CUS001) for its whole retry budget, visibly,
 * even past `--timeout`; then it is dead-lettered as Exhausted and the run ends with a report.
 */
describe('npm start --once with an orphan account', () => {
  it('waits out the orphan’s retry budget, says why, and ends with exit 0 and a report naming it', { timeout: 240_000 }, async () => {
    workDir = await mkdtemp(join(tmpdir(), 'orphan-e2e-'));
    const feed = join(workDir, 'feed.jsonl');
    const report = join(workDir, 'report.json');
    const orphan = { ...accountOpened('ORPHAN1', '7700001'), id: 'e2e-orphan-account' };
    await writeFile(feed, [customerCreated('C9001'), accountOpened('C9001'), orphan].map((e) => JSON.stringify(e)).join('\n'));
    const { env } = await isolatedStackEnv(workDir);
    const args = ['--import', 'tsx', 'local/start.ts', '--once', '--feed', feed, '--report', report, '--retry-budget', String(BUDGET_SECONDS), '--timeout', String(TIMEOUT_SECONDS)];
    const started = Date.now();
    let output = '';
    const exitCode = await new Promise<number | null>((resolve, reject) => {
      child = spawn(process.execPath, args, { cwd: ROOT, env });
      child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.once('error', reject);
      child.once('exit', resolve);
    });
    const seconds = (Date.now() - started) / 1_000;

    expect(exitCode, output).toBe(0);
    // Within its budget plus a minute (start-up included).
    expect(seconds).toBeLessThan(BUDGET_SECONDS + 60 + 30);
    // The progress view said what it was waiting for, and until when.
    expect(output).toMatch(/1 waiting on DependencyNotReady CUS001: next attempt in \d+ s, gives up at \d\d:\d\d:\d\d/);

    const summary = JSON.parse(await readFile(report, 'utf8')) as RunSummary;
    expect(summary.ok).toBe(true);
    expect(summary.events.outcomes).toMatchObject({ succeeded: 2, deadLettered: 1, unaccounted: 0 });
    expect(summary.deadLetters.events).toEqual([expect.objectContaining({ eventId: 'e2e-orphan-account', category: 'Exhausted', code: 'CUS001' })]);
    expect(summary.waits).toEqual([expect.objectContaining({ queue: 'coreBanking', category: 'DependencyNotReady', code: 'CUS001', records: 1, outcomes: { deadLettered: 1 } })]);
    expect(summary.waits[0]!.longestWaitSeconds).toBeGreaterThanOrEqual(BUDGET_SECONDS);
    expect(output).toContain('Waited: queue');
  });
});

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runStack } from '../../local/chaos/stack-run.js';

/**
 * `npm start --once` must not say "ok" when DCMS disagrees with what the run should have left
 * there, whatever the workers reported. Here DCMS acknowledges every delivery-status update and
 * applies none (a lost write): every worker outcome is a success, every event is accounted for,
 * and still the run fails, naming each kit, because the check reads DCMS's own state.
 */
describe('npm start --once checks DCMS itself', () => {
  let workDir: string | undefined;
  afterAll(async () => {
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('exits non-zero and lists the kits DCMS does not show in their newest scan status', async () => {
    workDir = await mkdtemp(join(tmpdir(), 'platform-check-e2e-'));
    const lostWrites = { script: [{ endpoint: '/inventory/update/deliveryStatus', fault: 'ackWithoutCommit', times: 100_000 }] };
    const run = await runStack({
      workDir,
      killAfterMs: 150_000,
      args: ['--once', '--demo-customers', '6', '--demo-valid-only', '--dcms-faults', JSON.stringify(lostWrites), '--timeout', '90'],
    });
    expect(run.report, run.output).toBeDefined();
    const report = run.report!;
    expect(run.exitCode, run.output).toBe(1);
    expect(report.ok).toBe(false);
    // Every event has its outcome and every dead letter is in its DLQ: it is DCMS that disagrees.
    expect(report.problems.unaccounted).toEqual([]);
    expect(report.problems.missingFromDlq).toEqual([]);

    const verification = report.verification!;
    expect(verification.kitsChecked).toBeGreaterThan(0);
    expect(verification.kitsNotInNewestStatus).toHaveLength(verification.kitsChecked);
    for (const kit of verification.kitsNotInNewestStatus) {
      expect(kit).toMatchObject({ actual: null, dcmsHistory: [] });
      expect(['IN_TRANSIT', 'DELIVERED', 'RETURNED', 'BANK']).toContain(kit.expected);
    }
    expect(verification.secondCards).toBe(0);
    expect(run.output).toContain('Checked against DCMS');
    expect(run.output).toContain('the run is NOT ok');
  }, 180_000);

  it('refuses DCMS fault settings the sandbox would not take, before starting anything', async () => {
    const run = await runStack({ workDir: join(workDir!, 'usage'), killAfterMs: 30_000, args: ['--once', '--dcms-faults', '{"errorRat":0.1}'] });
    expect(run.exitCode).not.toBe(0);
    expect(run.output).toContain('--dcms-faults');
    expect(run.output).toContain('errorRat');
    expect(run.output).not.toContain('DynamoDB Local');
    const contradiction = await runStack({ workDir: join(workDir!, 'usage2'), killAfterMs: 30_000, args: ['--once', '--no-faults', '--dcms-faults', '{"errorRate":0.1}'] });
    expect(contradiction.exitCode).toBe(2);
    expect(contradiction.output).toContain('contradict');
  }, 60_000);
});

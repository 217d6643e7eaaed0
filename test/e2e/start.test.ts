import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../local/stack/report/summary.js';
import { isolatedStackEnv } from '../../local/isolated-stack-env.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURE = fileURLToPath(new URL('./fixtures/pipeline.jsonl', import.meta.url));

/** The run of the file, for `afterAll` to stop if it outlived its test. */
let child: ChildProcess | undefined;
let workDir: string | undefined;

afterAll(async () => {
  // Only if the run outlived the test: SIGTERM lets the stack stop DynamoDB Local's Java process.
  if (child && child.exitCode === null) child.kill('SIGTERM');
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

/** `npm start -- --once` on the fixture, three instances a worker: its exit code and everything it printed. */
async function startOnce(report: string, env: NodeJS.ProcessEnv): Promise<{ exitCode: number | null; output: string }> {
  let output = '';
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts', '--once', '--feed', FIXTURE, '--report', report, '--timeout', '90', '--instances', '3'], { cwd: ROOT, env });
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', resolve);
  });
  return { exitCode, output };
}

/** The outcome of each of the fixture's 16 events. */
const EXPECTED_OUTCOMES = {
  succeeded: 7, // C001, C002 and its account, C003 (GLOBEX), C004 and its early account (moved behind it), the card freeze
  duplicate: 1, // C001 again under a new event id: the idempotency record answers
  stale: 0,
  reconciled: 0,
  deadLettered: 7,
  sqsDuplicate: 1, // line 7 re-sends line 1 with the same event id: FIFO deduplication drops it
  refused: 0,
  unaccounted: 0,
};

/** The fixture's dead letters, by line. */
const EXPECTED_DEAD_LETTERS = [
  { line: 10, eventId: undefined, category: 'InvalidEvent', code: 'BAD_JSON' },
  { line: 11, eventId: 'e2e-c005-no-contacts', category: 'InvalidEvent', code: 'SCHEMA' },
  { line: 12, eventId: 'e2e-c006-unknown-tenant', category: 'InvalidEvent', code: 'UNKNOWN_TENANT' },
  { line: 13, eventId: 'e2e-c007-closed', category: 'InvalidEvent', code: 'UNEXPECTED_TYPE' },
  { line: 14, eventId: 'e2e-kit-unknown', category: 'Permanent', code: 'MCC007' },
  { line: 15, eventId: 'e2e-kit-bad-status', category: 'InvalidEvent', code: 'SCHEMA' },
  { line: 17, eventId: 'e2e-control-not-theirs', category: 'Permanent', code: 'CARD_NOT_FOUND' },
];

/**
 * `npm start -- --once --feed … --report …` end to end, through the same entry as `npm start`,
 * on its own emulators, sandboxes and ports. The fixture needs no prior state and covers:
 * customers with and without insta-card, an account, a second tenant, a duplicate under a new
 * event id, an exact re-send, an account before its customer, malformed lines, an unknown tenant,
 * an unexpected type, an unknown kit, an invalid courier status, and card controls at the Card91
 * sandbox (logins verified by our auth webhook): one applied, one for another customer's card.
 */
describe('npm start --once --feed', () => {
  it('accounts for every event in exactly one outcome and names each dead letter', async () => {
    workDir = await mkdtemp(join(tmpdir(), 'start-e2e-'));
    const report = join(workDir, 'report.json');
    const { env } = await isolatedStackEnv(workDir);
    const { exitCode, output } = await startOnce(report, env);
    expect(exitCode, output).toBe(0);
    // Every queue worker at the instances asked for, the bulk lane among them (its queue drained with the rest).
    expect(output).toContain('Functions (3 instances each): core-banking-events, core-banking-bulk, courier-events, card-controls;');

    const summary = JSON.parse(await readFile(report, 'utf8')) as RunSummary;
    expect(summary.ok).toBe(true);
    expect(summary.events.in).toBe(16);
    expect(summary.events.outcomes, JSON.stringify(summary.deadLetters.events)).toEqual(EXPECTED_OUTCOMES);
    expect(summary.events.byQueue.coreBanking?.deadLettered).toBe(4);
    expect(summary.events.byQueue.courier?.deadLettered).toBe(2);
    expect(summary.events.byQueue.cardControls?.deadLettered).toBe(1);

    const deadLetters = summary.deadLetters.events.map(({ line, eventId, category, code }) => ({ line, eventId, category, code })).sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    expect(deadLetters).toEqual(EXPECTED_DEAD_LETTERS);
    // Each one is in its DLQ, found by the attribute original.messageId, with the worker's reason.
    expect(summary.deadLetters.events.every((event) => event.dlqMessageId !== undefined && event.by === 'worker')).toBe(true);
    expect(summary.deadLetters.events.find((event) => event.line === 11)?.reason).toContain('contacts');
    expect(summary.problems).toEqual({ unaccounted: [], missingFromDlq: [], refused: [], settledMoreThanOnce: [] });

    expect(summary.dcms.sandbox?.duplicateCards).toBe(0);
    // DCMS's own state agrees: the unknown kit's scan (MCC007, permanent) is left out; the invalid one is no scan at all.
    expect(summary.verification).toEqual({ secondCards: 0, cardsIssuedTwice: [], kitsChecked: 0, kitsNotInNewestStatus: [], kitsLeftOut: 1 });
    // The early account met CUS001, stepped behind its customer in their FIFO group, and went through after it.
    expect(summary.dcms.calls.find((call) => call.endpoint === 'registerCard' && call.outcome === '400:CUS001')?.calls).toBeGreaterThanOrEqual(1);
    expect(summary.card91.sandbox?.logins.accepted).toBeGreaterThanOrEqual(1);
    expect(summary.card91.calls.find((call) => call.endpoint === 'setCardLock' && call.outcome === '200')?.calls).toBe(1);
    expect(summary.dynamodb.writes).toBeGreaterThan(0);
    // Calls per effect, the effects counted in the sandbox: C001 to C004 registered, C001's and C003's insta-cards, C002's and C004's cards.
    const totalCalls = summary.dcms.calls.reduce((sum, call) => sum + call.calls, 0);
    expect(summary.dcms).toMatchObject({ totalCalls, effects: { customers: 4, kits: 4, deliveryStatuses: 0 }, effectsCountedBy: 'sandbox', callsPerEffect: Math.round((totalCalls / 8) * 100) / 100 });
    expect(output).toContain(`DCMS calls per effect: ${(Math.round((totalCalls / 8) * 100) / 100).toFixed(2)} (${totalCalls} calls, 8 effects: 4 customers, 4 kits, 0 delivery statuses;`);
  }, 120_000);
});

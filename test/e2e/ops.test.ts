import { spawn, type ChildProcess } from 'node:child_process';
import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StackPorts } from '../../local/isolated-stack-env.js';
import { startRunningStack } from '../support/running-stack.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURE = fileURLToPath(new URL('./fixtures/pipeline.jsonl', import.meta.url));

interface Run {
  code: number | null;
  out: string;
  err: string;
}

/** Runs a TypeScript entry of the repository the way its npm script does. */
function run(entry: string, args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], { cwd: ROOT, env });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, out, err }));
  });
}

const listening = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => socket.destroy() && resolve(true));
    socket.once('error', () => resolve(false));
  });

/**
 * The operator CLI against a running `npm start` (without --once): it finds the stack through
 * the stack file, lists and shows dead letters with personal data masked, redrives by code (the
 * account that came before its customer then goes through), looks up a kit and sends events; and
 * SIGTERM stops the whole stack, Java included. One `npm start` serves every test of the file, in
 * order: the last one stops it.
 */
let stack: ChildProcess;
let workDir: string;
let env: NodeJS.ProcessEnv;
let ports: StackPorts;

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'ops-e2e-'));
  ({ child: stack, env, ports } = await startRunningStack({ workDir, feed: FIXTURE }));
}, 100_000);

afterAll(async () => {
  if (stack?.exitCode === null) stack.kill('SIGTERM');
  await rm(workDir, { recursive: true, force: true });
});

const ops = (...args: string[]) => run('ops/cli.ts', args, env);
const json = async <T>(...args: string[]): Promise<T> => {
  const result = await ops(...args, '--json');
  expect(result.code, result.err).toBe(0);
  return JSON.parse(result.out) as T;
};
const dlqTotals = async () => Object.fromEntries((await json<{ queues: Array<{ queue: string; total: number }> }>('dlq', 'list')).queues.map((q) => [q.queue, q.total]));

describe('npm run ops dlq against a running npm start', () => {
  it('lists and shows dead letters, masked', async () => {
    // The early account of the fixture is not among them: it stepped behind its customer and went through.
    expect(await dlqTotals()).toEqual({ coreBanking: 4, coreBankingBulk: 0, courier: 2, cardControls: 1 });
    const shown = await json<{ found: Array<{ code: string; reason: string; body: { data: { contacts: unknown[]; firstName: string; kycDocuments: Array<{ number: string }> } } }> }>(
      'dlq',
      'show',
      'e2e-c005-no-contacts',
    );
    expect(shown.found).toHaveLength(1);
    expect(shown.found[0]!.code).toBe('SCHEMA');
    expect(shown.found[0]!.reason).toContain('contacts');
    expect(shown.found[0]!.body.data.firstName).not.toBe('Asha');
    expect(shown.found[0]!.body.data.kycDocuments[0]!.number).not.toBe('ABCPV1234K');
    const missing = await ops('dlq', 'show', 'no-such-id');
    expect(missing.code).toBe(1);
    expect(missing.out).toContain('no dead letter with id no-such-id');
  });

  it('redrives by code: a record that fails again is back in its DLQ, as a new dead letter with its reason', async () => {
    type Shown = { found: Array<{ messageId: string; code: string }> };
    const before = (await json<Shown>('dlq', 'show', 'e2e-control-not-theirs')).found[0]!;
    const dryRun = await json<{ results: Array<{ queue: string; moved: number }> }>('dlq', 'redrive', '--filter', 'code=CARD_NOT_FOUND', '--dry-run');
    expect(dryRun.results.find((r) => r.queue === 'cardControls')?.moved).toBe(1);
    expect((await dlqTotals()).cardControls).toBe(1);

    const redriven = await json<{ results: Array<{ queue: string; mode: string; moved: number }> }>('dlq', 'redrive', '--queue', 'card-controls', '--filter', 'code=CARD_NOT_FOUND');
    // A FIFO queue: copied back one by one, keeping the group.
    expect(redriven.results).toMatchObject([{ queue: 'cardControls', mode: 'copy', moved: 1 }]);
    // The running worker reads the card again, still not this customer's: dead-lettered again, with its reason.
    await expect.poll(async () => (await json<Shown>('dlq', 'show', 'e2e-control-not-theirs')).found[0]?.messageId, { timeout: 20_000, interval: 1_000 }).not.toBe(before.messageId);
    expect((await json<Shown>('dlq', 'show', 'e2e-control-not-theirs')).found[0]!.code).toBe('CARD_NOT_FOUND');
  }, 60_000);
});

describe('npm run ops send and kit against a running npm start', () => {
  it('looks up a kit in the ledger and follows an event sent with `send`', async () => {
    const view = await fetch(`http://127.0.0.1:${ports.dcms}/viewCustomer`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', tenant: 'ACME_BANK' },
      body: JSON.stringify({ entityId: 'E2E-C001' }),
    });
    const kitNo = ((await view.json()) as { result: { kitInfo: Array<{ kitNo: string }> } }).result.kitInfo[0]!.kitNo;

    const feed = join(workDir, 'delivered.jsonl');
    const delivered = {
      specversion: '1.0',
      id: 'e2e-kit-delivered',
      source: 'urn:courier:bluedart',
      type: 'courier.kit.status.v1',
      time: '2026-11-21T10:00:00Z',
      tenant: 'ACME_BANK',
      data: { kitNo, status: 'DELIVERED', occurredAt: '2026-11-21T09:30:00Z' },
    };
    await writeFile(feed, `${JSON.stringify(delivered)}\n`);
    const sent = await json<{ sent: Array<{ queue: string; messageId?: string }> }>('send', feed);
    expect(sent.sent).toMatchObject([{ queue: 'courier-events' }]);

    type Kits = { kits: Array<{ tenant: string; state?: { entityId?: string; lastStatus?: string }; history: Array<{ status: string; outcome: string }> }> };
    await expect.poll(async () => (await json<Kits>('kit', kitNo)).kits[0]?.state?.lastStatus, { timeout: 20_000, interval: 1_000 }).toBe('DELIVERED');
    const { kits } = await json<Kits>('kit', kitNo);
    expect(kits).toHaveLength(1);
    expect(kits[0]).toMatchObject({ tenant: 'ACME_BANK', state: { entityId: 'E2E-C001' } });
    expect(kits[0]!.history).toContainEqual(expect.objectContaining({ status: 'DELIVERED', outcome: 'APPLIED' }));
  });

  it('shows an unparseable dead letter only as its length and hash, and never prints a control character', async () => {
    const ESC = '\u001b';
    const hostile = join(workDir, 'hostile.jsonl');
    const type = `bank.${ESC}[2J${ESC}[H.v1`;
    await writeFile(hostile, `${JSON.stringify({ specversion: '1.0', id: 'e2e-hostile-type', source: 'urn:x', type, time: '2026-11-21T10:00:00Z', tenant: 'ACME_BANK', data: {} })}\n`);
    const sent = await ops('send', hostile);
    expect(sent.out).not.toContain(ESC);
    expect(sent.out).toContain('bank.\\x1b[2J');

    const personal = join(workDir, 'personal.jsonl');
    await writeFile(personal, 'Priya Raman, born 1985-04-12, 42 Lotus Residency Pune, PAN ABCPV1234K\n');
    const [line] = (await json<{ sent: Array<{ messageId: string }> }>('send', personal)).sent;
    await expect.poll(async () => (await ops('dlq', 'show', line!.messageId)).code, { timeout: 20_000, interval: 1_000 }).toBe(0);
    const shown = await ops('dlq', 'show', line!.messageId);
    for (const secret of ['Priya', 'Raman', '1985', 'Lotus', 'ABCPV1234K']) expect(shown.out).not.toContain(secret);
    expect(shown.out).toMatch(/sha256/);

    await expect.poll(async () => (await ops('dlq', 'show', 'e2e-hostile-type')).code, { timeout: 20_000, interval: 1_000 }).toBe(0);
    for (const args of [
      ['dlq', 'list'],
      ['dlq', 'show', 'e2e-hostile-type'],
      ['dlq', 'list', '--json'],
    ]) {
      const printed = await ops(...args);
      expect(printed.out, args.join(' ')).not.toContain(ESC);
      expect(printed.out, args.join(' ')).toContain('[2J');
    }
  });
});

describe('npm run ops import against a running npm start', () => {
  it('imports a book into the bulk queue, rejecting bad lines unsent, and a second run sends nothing', async () => {
    const book = join(workDir, 'book.jsonl');
    const event = (id: string, type: string, data: object) => JSON.stringify({ specversion: '1.0', id, source: 'urn:acme-bank:cbs', type, time: '2026-11-25T10:00:00Z', tenant: 'ACME_BANK', data });
    await writeFile(
      book,
      [
        event('e2e-import-1', 'bank.account.opened.v1', { entityId: 'E2E-IMPORT-1', accountNo: '8642135', cardType: 'PHYSICAL', deliveryAddress: 'PERMANENT' }),
        '{"not": "a CloudEvent"',
        event('e2e-import-2', 'courier.kit.status.v1', { kitNo: 'K1', status: 'DELIVERED', occurredAt: '2026-11-25T10:00:00Z' }),
        event('e2e-import-3', 'bank.account.opened.v1', { entityId: 'E2E-IMPORT-3', accountNo: '8642135', cardType: 'PHYSICAL', deliveryAddress: 'PERMANENT' }),
      ].join('\n'),
    );
    const state = join(workDir, 'imports');
    const first = await ops('import', book, '--rate', '50', '--state-dir', state, '--json');
    // A rejected line makes the run fail, after sending every valid one.
    expect(first.code, first.err).toBe(1);
    const summary = JSON.parse(first.out) as { queue: string; lines: number; imported: number; rejections: Array<{ line: number; reason: string }>; completed: boolean; sentThisRun: number };
    expect(summary).toMatchObject({ queue: 'core-banking-bulk', lines: 4, imported: 2, completed: true, sentThisRun: 2 });
    expect(summary.rejections.map((r) => [r.line, r.reason.split(':')[0]])).toEqual([
      [2, 'BAD_JSON'],
      [3, 'UNEXPECTED_TYPE'],
    ]);
    const second = JSON.parse((await ops('import', book, '--state-dir', state, '--json')).out) as { sentThisRun: number; imported: number };
    expect(second).toMatchObject({ sentThisRun: 0, imported: 2 });
  });
});

describe('npm run ops target, and stopping npm start', () => {
  it('explains a bad target, and stops the whole stack on SIGTERM', async () => {
    const noPrefix = await ops('--region', 'eu-west-1', 'dlq', 'list');
    expect(noPrefix.code).toBe(2);
    expect(noPrefix.err).toContain('--prefix is required');

    const exited = new Promise<number | null>((resolve) => stack.once('exit', resolve));
    stack.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(await listening(ports.dynamodb)).toBe(false);
    await expect(access(env.STACK_FILE!)).rejects.toThrow();
    const afterwards = await ops('dlq', 'list');
    expect(afterwards.code).toBe(2);
    expect(afterwards.err).toContain('npm start');
  }, 30_000);
});

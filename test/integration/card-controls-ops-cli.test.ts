/**
 * The `card91` operator command run programmatically (as the ops CLI mounts it) against the Card91
 * sandbox and our auth webhook over real HTTP: what it prints, and that nothing personal is
 * printed whole.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommanderError } from 'commander';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { card91Command } from '../../ops/card91.js';
import { writeStackFile, type StackDescription } from '../../shared/tooling/stack-file.js';
import { LOCAL_CARD91_SDK_AUTH_SECRETS } from '../../shared/tooling/local-card91.js';
import { ASHA } from '../support/card91-fixtures.js';
import { startCard91Stack, type Card91Stack } from './card91-harness.js';

let stack: Card91Stack;
let scratch: string;

beforeAll(async () => {
  stack = await startCard91Stack();
  scratch = await mkdtemp(join(tmpdir(), 'card91-cli-'));
});
afterAll(async () => {
  await stack.close();
  await rm(scratch, { recursive: true, force: true });
});
beforeEach(() => {
  stack.sandbox.reset();
  // The command signs with the published local secret when none is configured, as against the local stack.
  stack.webhookSecrets = [...LOCAL_CARD91_SDK_AUTH_SECRETS];
  for (const name of ['CARD91_BASE_URL', 'CARD91_ORG_ID', 'CARD91_SDK_AUTH_SECRETS_ID', 'CARD91_SDK_AUTH_SECRETS_JSON', 'STACK_FILE']) delete process.env[name];
});

interface Run {
  out: string;
  err: string;
  exitCode: number;
}

async function run(...args: string[]): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const command = card91Command();
  for (const each of [command, ...command.commands]) {
    each.exitOverride().configureOutput({ writeOut: (text) => out.push(text), writeErr: (text) => err.push(text) });
  }
  let exitCode = 0;
  try {
    await command.parseAsync(args, { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    exitCode = error.exitCode;
  }
  return { out: out.join(''), err: err.join(''), exitCode };
}

const atSandbox = () => ['--base-url', stack.sandbox.url];

/** Asha's personal data as the sandbox holds it: none of it may be printed whole. */
const PERSONAL = [ASHA.mobile, ASHA.mobile.slice(2), 'asha.verma@example.com', 'Asha', 'Verma', 'ABCPV1234F', 'Z1234567', '2001-03-17', '17-03-2001', ASHA.accountId];

const expectNothingPersonal = (text: string) => {
  for (const value of PERSONAL) expect(text).not.toContain(value);
};

/** Runs a command at the sandbox that must succeed, and returns what it printed, checked to hold nothing personal whole. */
async function printed(...args: string[]): Promise<string> {
  const { out, err, exitCode } = await run(...args, ...atSandbox());
  expect(exitCode, err).toBe(0);
  expectNothingPersonal(out);
  return out;
}

describe('card91 customer', () => {
  it('prints the profile with mobile, names, email, date of birth, PAN and passport masked', async () => {
    const out = await printed('customer', '--mobile', ASHA.mobile);
    for (const shown of [ASHA.customerId, '••••••••3210', '234F', ASHA.activeCard, 'BLOCKED']) expect(out).toContain(shown);
  });

  it('--json prints parseable, masked JSON, document links redacted', async () => {
    const { out } = await run('customer', '--mobile', '9876543210', '--json', ...atSandbox());
    const customer = JSON.parse(out) as { id: string; mobile: string; panValue: string; documents: Array<{ docUrl: string }>; cardPrograms: Array<{ cards: unknown[] }> };
    expect(customer.id).toBe(ASHA.customerId);
    expect(customer.mobile).toBe('••••••••3210');
    expect(customer.panValue).toMatch(/^•+234F$/);
    expect(customer.documents.length).toBeGreaterThan(0);
    expect(customer.documents.every((document) => document.docUrl === '«redacted»')).toBe(true);
    expect(customer.cardPrograms[0]?.cards).toHaveLength(3);
    expectNothingPersonal(out);
  });
});

describe('card91 lookups', () => {
  it('cards: states and limits against their ceilings', async () => {
    const out = await printed('cards', '--mobile', ASHA.mobile);
    // '0 / 90 (off)': the AED ATM limit, current / ceiling, disabled.
    for (const shown of [ASHA.inactiveVirtualCard, 'INACTIVE', '0 / 90 (off)']) expect(out).toContain(shown);
  });

  it('balances per currency', async () => {
    const { out } = await run('balances', '--mobile', ASHA.mobile, '--json', ...atSandbox());
    const [account] = JSON.parse(out) as Array<{ accountId: string; currencies: Array<{ currencyCode: string; balance: string }> }>;
    expect(account?.accountId).toBe('••••••••3544');
    expect(account?.currencies).toEqual(expect.arrayContaining([expect.objectContaining({ currencyCode: 'AED', balance: '1520.75' })]));
  });

  it('transactions: one page by default, every page with --all, network references kept', async () => {
    const page = await run('transactions', '--mobile', ASHA.mobile, ...atSandbox());
    expect(page.out).toContain('page 1 of 1');
    expect(page.out).toContain('053984833478'); // the first transaction's RRN, whole
    expectNothingPersonal(page.out);

    const all = await run('transactions', '--mobile', ASHA.mobile, '--all', '--json', ...atSandbox());
    const [account] = JSON.parse(all.out) as Array<{ transactions: unknown[] }>;
    expect(account?.transactions).toHaveLength(23);
  });

  it('loads of the account holding a card, and a clear error for a card that is not the customer’s', async () => {
    const loads = await run('loads', '--mobile', ASHA.mobile, '--card', ASHA.activeCard, '--json', ...atSandbox());
    const [account] = JSON.parse(loads.out) as Array<{ loads: unknown[] }>;
    expect(account?.loads).toHaveLength(7);

    const other = await run('loads', '--mobile', ASHA.mobile, '--card', 'CID000000000000000ID00000000', ...atSandbox());
    expect(other.exitCode).toBe(1);
    expect(other.err).toContain("is not one of this customer's cards");
  });

  it('trips', async () => {
    const { out } = await run('trips', '--mobile', ASHA.mobile, ...atSandbox());
    expect(out).toContain('TRIP240716125517805ID13084224');
    expect(out).toContain('TP04');
  });
});

describe('card91 command errors and defaults', () => {
  it('refuses a malformed mobile or card id, and a missing mobile', async () => {
    expect(await run('customer', '--mobile', '12345', ...atSandbox())).toMatchObject({ exitCode: 1, err: expect.stringContaining('expected 91 and 10 digits') });
    expect(await run('loads', '--mobile', ASHA.mobile, '--card', 'CID/../x', ...atSandbox())).toMatchObject({ exitCode: 1, err: expect.stringContaining('Card91 card id') });
    expect(await run('trips', ...atSandbox())).toMatchObject({ exitCode: 1, err: expect.stringContaining("required option '--mobile <mobile>'") });
  });

  it('reports a Card91 refusal by status and code, without the mobile', async () => {
    const { exitCode, err } = await run('customer', '--mobile', '919000000001', ...atSandbox());
    expect(exitCode).toBe(1);
    expect(err).toContain('C91_400');
    expect(err).not.toContain('919000000001');
  });

  it('finds the Card91 sandbox of the running local stack, and says what to do when there is none', async () => {
    const file = join(scratch, 'stack.json');
    process.env.STACK_FILE = file;
    expect((await run('trips', '--mobile', ASHA.mobile)).err).toContain('start the local stack (npm start)');

    // Written as the stack writes it, so a change to the description shows here at type-check time.
    const description: StackDescription = {
      pid: process.pid,
      startedAt: new Date().toISOString(),
      region: 'us-east-1',
      prefix: 'local',
      endpoints: { sqs: 'http://127.0.0.1:1', dynamodb: 'http://127.0.0.1:2' },
      dcmsUrl: 'http://127.0.0.1:3',
      card91Url: stack.sandbox.url,
      tenants: ['ACME_BANK'],
      consumers: ['cardControls'],
      logFile: join(scratch, 'functions.log'),
    };
    await writeStackFile(file, description);
    const { out, exitCode } = await run('trips', '--mobile', ASHA.mobile);
    expect(exitCode).toBe(0);
    expect(out).toContain('TRIP240716125517805ID13084224');
  });
});

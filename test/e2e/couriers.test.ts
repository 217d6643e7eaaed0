import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_SIGNING_KEY, localToken } from '../../local/http/courier-webhook.js';
import { courierEventsUrl, signCourierRequest } from '../../shared/tooling/courier-signing.js';
import { customerCreated } from '../support/events.js';
import type { StackPorts } from '../../local/isolated-stack-env.js';
import { startRunningStack } from '../support/running-stack.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/couriers/', import.meta.url));

/** The customers whose kits the couriers carry, one physical card each; `@kit:<name>` in a fixture becomes that kit's number. */
const KITS = ['bluedart-1', 'bluedart-2', 'delhivery', 'shiprocket', 'generic'] as const;
type KitName = (typeof KITS)[number];
const entityOf = (name: KitName) => `E2E-COURIER-${name.toUpperCase()}`;

/** One `npm start` for the file, fed the customers whose kits the couriers carry. */
let stack: ChildProcess;
let workDir: string;
let ports: StackPorts;
const kits = new Map<KitName, string>();

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'couriers-e2e-'));
  const feed = join(workDir, 'customers.jsonl');
  const customers = KITS.map((name, i) =>
    customerCreated(entityOf(name), {
      accounts: [{ accountNo: `77000${i}`, type: 'SAVING', currency: 'INR', isPrimary: true }],
      card: { accountNo: `77000${i}`, cardType: 'PHYSICAL', deliveryAddress: 'PERMANENT' },
    }),
  );
  await writeFile(feed, customers.map((event) => JSON.stringify(event)).join('\n') + '\n');
  ({ child: stack, ports } = await startRunningStack({ workDir, feed }));
  for (const name of KITS) {
    const view = await fetch(`http://127.0.0.1:${ports.dcms}/viewCustomer`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', tenant: 'ACME_BANK' },
      body: JSON.stringify({ entityId: entityOf(name) }),
    });
    kits.set(name, ((await view.json()) as { result: { kitInfo: Array<{ kitNo: string }> } }).result.kitInfo[0]!.kitNo);
  }
}, 100_000);

afterAll(async () => {
  if (stack?.exitCode === null) {
    const exited = new Promise((resolve) => stack.once('exit', resolve));
    stack.kill('SIGTERM');
    await exited;
  }
  await rm(workDir, { recursive: true, force: true });
});

/** A fixture's bytes with each `@kit:<name>` replaced by the kit DCMS issued. */
const fixture = async (file: string): Promise<Buffer> => Buffer.from((await readFile(join(FIXTURES, file), 'utf8')).replace(/@kit:([a-z0-9-]+)/g, (_, name: KitName) => kits.get(name)!));

const push = async (courier: string, body: Buffer, headers: Record<string, string>) => {
  const response = await fetch(courierEventsUrl(`http://127.0.0.1:${ports.webhook}`, courier), { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

const deliveryStatus = async (name: KitName): Promise<string | undefined> => {
  const response = await fetch(`http://127.0.0.1:${ports.dcms}/__admin/tenants/ACME_BANK/kits/${kits.get(name)}`);
  return ((await response.json()) as { deliveryStatus?: string }).deliveryStatus;
};
const settled = (name: KitName, status: string) => expect.poll(() => deliveryStatus(name), { timeout: 20_000, interval: 500 }).toBe(status);

/**
 * Each courier's published push shape (test/e2e/fixtures/couriers), authenticated its own way,
 * through `npm start`'s courier webhook, the courier queue and worker, to DCMS `deliveryStatus`:
 * Blue Dart with a token in x-api-key from an allowed address (and a later scan naming the kit by
 * its AWB only), Delhivery with `Authorization: Token …`, Shiprocket with x-api-key, our generic
 * format signed with HMAC.
 */
describe('courier pushes through npm start to DCMS', () => {
  it('Blue Dart: several shipments and scans per push, a token in x-api-key from an allowed address', async () => {
    const body = await fixture('bluedart.json');
    expect((await push('bluedart', body, { 'x-api-key': 'not-the-token-0000000000000000000' })).status).toBe(401);
    const answer = await push('bluedart', body, { 'x-api-key': localToken('bluedart') });
    expect([answer.status, answer.body.accepted]).toEqual([202, 5]);
    await settled('bluedart-1', 'DELIVERED');
    await settled('bluedart-2', 'RETURNED');
  });

  it('Blue Dart: a later scan naming the kit by its AWB only finds the kit learnt from the first push', async () => {
    const answer = await push('bluedart', await fixture('bluedart-awb-only.json'), { 'x-api-key': localToken('bluedart') });
    expect([answer.status, answer.body.accepted]).toEqual([202, 1]);
    // The local integration agreed RT/BRC (returned to the branch) as BANK.
    await settled('bluedart-2', 'BANK');
  });

  it('Delhivery: one shipment per push, Authorization: Token …', async () => {
    const answer = await push('delhivery', await fixture('delhivery.json'), { authorization: `Token ${localToken('delhivery')}` });
    expect(answer.status).toBe(202);
    await settled('delhivery', 'DELIVERED');
  });

  it('Shiprocket: the current status of a return leg, x-api-key', async () => {
    const answer = await push('shiprocket', await fixture('shiprocket.json'), { 'x-api-key': localToken('shiprocket') });
    expect(answer.status).toBe(202);
    await settled('shiprocket', 'RETURNED');
  });

  it('generic: our own format, signed with HMAC over timestamp and body', async () => {
    const body = await fixture('generic.json');
    const answer = await push('generic-acme-bank', body, signCourierRequest({ secrets: [LOCAL_SIGNING_KEY], body }));
    expect([answer.status, answer.body.accepted]).toEqual([202, 2]);
    await settled('generic', 'DELIVERED');
  });
});

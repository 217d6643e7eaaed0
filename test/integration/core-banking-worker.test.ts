import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterEach, describe, expect, it } from 'vitest';
import { customerCreatedData } from '../../shared/contracts/index.js';
import { DcmsClient } from '../../shared/dcms/client.js';
import { toRegisterCustomer } from '../../shared/dcms/mapping.js';
import { DLQ_ATTRIBUTES } from '../../shared/messaging/dead-letter.js';
import { accountOpened, customerCreated } from '../support/events.js';
import { startWorkerHarness, type WorkerHarness } from '../support/worker-harness.js';

const ACME = { tenant: 'ACME_BANK', business: 'ACME_BANK', businessId: '687', businessType: 'ACME_BANK', rateLimit: { perSecond: 100, burst: 200 }, verifyBeforeFirstIssue: true };
const attribute = (message: { MessageAttributes?: Record<string, { StringValue?: string }> }, name: string) => message.MessageAttributes?.[name]?.StringValue;

/** A settle window of a few seconds keeps the tests of unknown outcomes short; production waits 120 s. */
const env = { SETTLE_WINDOW_SECONDS: '3' };

describe('core-banking worker', () => {
  let harness: WorkerHarness;
  afterEach(async () => harness?.close());

  it('registers a customer once for the same event delivered twice and for a second event of the same customer', async () => {
    harness = await startWorkerHarness('coreBanking');
    const first = customerCreated('C1001');
    const sameCustomerNewId = customerCreated('C1001');
    await harness.send([first, first, sameCustomerNewId]);
    await harness.drain();
    const stats = harness.dcms.stats();
    expect(stats.calls['/register']).toEqual({ '200': 1 });
    expect(await harness.deadLetters()).toHaveLength(0);
  });

  it('issues the card once the customer exists when the account event comes first', async () => {
    harness = await startWorkerHarness('coreBanking');
    // Different FIFO groups stand in for a redrive that delivers them out of order.
    await harness.send([accountOpened('C2001')], () => 'redriven');
    const draining = harness.drain();
    await expect.poll(() => harness.dcms.stats().calls['/registerCard']?.['400:CUS001'], { timeout: 5_000 }).toBeGreaterThanOrEqual(1);
    await harness.send([customerCreated('C2001')]);
    await draining;
    const stats = harness.dcms.stats();
    expect(stats.calls['/registerCard']?.['400:CUS001']).toBeGreaterThanOrEqual(1);
    expect(stats.calls['/registerCard']?.['200']).toBe(1);
    expect(stats.duplicateCards).toBe(0);
    expect(await harness.deadLetters()).toHaveLength(0);
  });

  it('dead-letters malformed JSON, schema violations and unknown tenants with reasons, and processes their neighbours', async () => {
    harness = await startWorkerHarness('coreBanking');
    const noMobile = customerCreated('C3002', { contacts: [] });
    await harness.send(['{not json', noMobile, customerCreated('C3003', {}, 'UNKNOWN_BANK'), customerCreated('C3004')]);
    await harness.drain();
    const dead = await harness.deadLetters();
    const codes = dead.map((m) => attribute(m, DLQ_ATTRIBUTES.code)).sort();
    expect(codes).toEqual(['BAD_JSON', 'SCHEMA', 'UNKNOWN_TENANT']);
    expect(dead.every((m) => attribute(m, DLQ_ATTRIBUTES.category) === 'InvalidEvent')).toBe(true);
    const schemaFailure = dead.find((m) => attribute(m, DLQ_ATTRIBUTES.code) === 'SCHEMA');
    expect(attribute(schemaFailure!, DLQ_ATTRIBUTES.message)).toContain('contacts');
    expect(schemaFailure?.Body).toBe(JSON.stringify(noMobile));
    expect(harness.dcms.stats().calls['/register']).toEqual({ '200': 1 });
  });
});

describe('core-banking worker, unknown outcomes', () => {
  let harness: WorkerHarness;
  afterEach(async () => harness?.close());

  for (const fault of ['commitThenFail', 'commitThenDrop', 'hang'] as const) {
    it(`issues exactly one card when /registerCard answers with ${fault}`, async () => {
      harness = await startWorkerHarness('coreBanking', { env });
      await harness.send([customerCreated('C4001')]);
      await harness.drain();
      harness.dcms.setFaults({ script: [{ endpoint: '/registerCard', fault, times: 1 }] });
      await harness.send([accountOpened('C4001', '8642135', 'PHYSICAL')]);
      await harness.drain();

      const stats = harness.dcms.stats();
      expect(stats.duplicateCards).toBe(0);
      expect(stats.tenants.ACME_BANK?.kits).toBe(1);
      // The lost answer was reconciled by reading the customer's kits by account, not by sending again.
      expect(stats.calls['/kit-manager/fetchKitsByEntityId']?.['200']).toBeGreaterThanOrEqual(2);
      expect(await harness.deadLetters()).toHaveLength(0);
    });
  }

  it('does not send a slow /registerCard again while it may still be committing, and finds it once it lands', async () => {
    harness = await startWorkerHarness('coreBanking', { env: { SETTLE_WINDOW_SECONDS: '8' } });
    await harness.send([customerCreated('C4005')]);
    await harness.drain();
    // DCMS commits the card 5 s after receiving it; the client gives up after 2 s and the reads at 2 s and on the
    // next deliveries find nothing yet. Without the settle window the next delivery would send it again.
    harness.dcms.setFaults({ slowCommitMs: 5_000, script: [{ endpoint: '/registerCard', fault: 'slowCommit', times: 1 }] });
    await harness.send([accountOpened('C4005', '8642135', 'PHYSICAL')]);
    await harness.drain(40_000);
    const stats = harness.dcms.stats();
    expect(stats.duplicateCards).toBe(0);
    expect(stats.tenants.ACME_BANK?.kits).toBe(1);
    expect(stats.calls['/registerCard']).toEqual({ 'fault:slowCommit': 1 });
    expect(await harness.deadLetters()).toHaveLength(0);
  });

  it("tells a second account's card of the same type from the first, without an operator", async () => {
    harness = await startWorkerHarness('coreBanking', { env });
    await harness.send([customerCreated('C4006', { card: { accountNo: '8642135', cardType: 'PHYSICAL', deliveryAddress: 'PERMANENT' } })]);
    await harness.drain();
    harness.dcms.setFaults({ script: [{ endpoint: '/registerCard', fault: 'commitThenFail', times: 1 }] });
    await harness.send([accountOpened('C4006', '9900112233', 'PHYSICAL')]);
    await harness.drain();
    const stats = harness.dcms.stats();
    expect(stats.tenants.ACME_BANK?.kits).toBe(2);
    expect(stats.duplicateCards).toBe(0);
    expect(await harness.deadLetters()).toHaveLength(0);
  });
});

describe('core-banking worker, lost answers to /register and bursts', () => {
  let harness: WorkerHarness;
  afterEach(async () => harness?.close());

  it('reconciles a /register whose answer was lost, including its insta-card', async () => {
    harness = await startWorkerHarness('coreBanking', { env });
    harness.dcms.setFaults({ script: [{ endpoint: '/register', fault: 'commitThenDrop', times: 1 }] });
    await harness.send([customerCreated('C4002', { card: { accountNo: '8642135', cardType: 'VIRTUAL', deliveryAddress: 'PERMANENT' } })]);
    await harness.drain();
    const stats = harness.dcms.stats();
    expect(stats.tenants.ACME_BANK).toMatchObject({ customers: 1, kits: 1 });
    expect(stats.duplicateCards).toBe(0);
    expect(await harness.deadLetters()).toHaveLength(0);
  });

  it('retries 429 bursts within the call, waits out 5xx on a write, and succeeds', async () => {
    harness = await startWorkerHarness('coreBanking', { env });
    harness.dcms.setFaults({
      script: [
        { endpoint: '/register', fault: 'throttle', times: 2 },
        { endpoint: '/registerCard', fault: 'error', times: 2 },
      ],
    });
    await harness.send([customerCreated('C4003'), accountOpened('C4003', '8642135', 'VIRTUAL')]);
    await harness.drain();
    const stats = harness.dcms.stats();
    expect(stats.tenants.ACME_BANK).toMatchObject({ customers: 1, kits: 1 });
    expect(stats.calls['/register']).toMatchObject({ '200': 1 });
    expect(await harness.deadLetters()).toHaveLength(0);
  });
});

describe('core-banking worker, redriven records', () => {
  let harness: WorkerHarness;
  afterEach(async () => harness?.close());

  it('reads before sending a record redriven from the DLQ, whose card may already exist', async () => {
    harness = await startWorkerHarness('coreBanking');
    // The card was issued but its answer was lost, then the record was dead-lettered and its
    // idempotency record released: only the platform knows.
    const direct = new DcmsClient({ baseUrl: harness.dcms.url });
    await direct.register('ACME_BANK', toRegisterCustomer(customerCreatedData.parse(customerCreated('C6001').data), ACME));
    await direct.registerCard('ACME_BANK', { entityId: 'C6001', deliveryAddress: 'PERMANENT', kitInfo: [{ accountNo: '8642135', cardType: 'PHYSICAL' }] });

    const redriven = JSON.stringify(accountOpened('C6001', '8642135', 'PHYSICAL'));
    await harness.aws.sqs.send(
      new SendMessageCommand({
        QueueUrl: harness.queueUrl,
        MessageBody: redriven,
        MessageGroupId: 'ACME_BANK:C6001',
        MessageDeduplicationId: 'redrive-1',
        MessageAttributes: { [DLQ_ATTRIBUTES.category]: { DataType: 'String', StringValue: 'Exhausted' }, [DLQ_ATTRIBUTES.code]: { DataType: 'String', StringValue: 'UNKNOWN_OUTCOME' } },
      }),
    );
    await harness.drain();
    const stats = harness.dcms.stats();
    expect(stats.duplicateCards).toBe(0);
    expect(stats.calls['/registerCard']).toEqual({ '200': 1 });
    expect(stats.calls['/kit-manager/fetchKitsByEntityId']?.['200']).toBe(1);
  });
});

describe('core-banking worker, an account whose customer never comes', () => {
  let harness: WorkerHarness;
  afterEach(async () => harness?.close());

  it('waits ever longer between attempts across its moves to the back of its group, instead of starting the backoff again', async () => {
    // Backoff 1 → 2 → 4 → 8 s: the record's own history sets it, whichever copy carries the record.
    harness = await startWorkerHarness('coreBanking', { env: { VISIBILITY_BASE_SECONDS: '1', VISIBILITY_MAX_SECONDS: '8' } });
    const sentAt = Date.now();
    await harness.send([accountOpened('C7001')]);
    // The queue never drains (the record waits out its budget): draining only starts the pollers, which run on while we watch.
    await harness.drain(1_000).catch(() => undefined);
    await expect.poll(() => harness.dcms.stats().calls['/registerCard']?.['400:CUS001'] ?? 0, { timeout: 40_000, interval: 100 }).toBeGreaterThanOrEqual(4);
    // Four attempts take at least the ladder between them (1 + 2 + 4 s); a backoff that restarts with each copy takes about 2 s.
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(7_000);
  }, 60_000);
});

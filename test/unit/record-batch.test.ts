import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { TenantDirectory } from '../../shared/config/tenants.js';
import { ACCOUNT_OPENED, accountOpenedEvent } from '../../shared/contracts/account-opened.js';
import type { Settlement } from '../../shared/messaging/settle.js';
import { createTelemetry } from '../../shared/observability/telemetry.js';
import { FailureCategory, IntegrationError } from '../../shared/resilience/errors.js';
import { fifoBatchHandler, type RecordFlow } from '../../shared/worker/record-batch.js';
import type { QueueWorkerRuntime } from '../../shared/worker/queue-runtime.js';
import { accountOpened } from '../support/events.js';

const tenants = new TenantDirectory([{ tenant: 'ACME_BANK', business: 'ACME_BANK', businessId: '687', businessType: 'ACME_BANK', rateLimit: { perSecond: 100, burst: 200 } }]);

const record = (id: string, group: string, entityId: string): SQSRecord =>
  ({
    messageId: id,
    receiptHandle: `rh-${id}`,
    body: JSON.stringify(accountOpened(entityId)),
    attributes: { ApproximateReceiveCount: '1', MessageGroupId: group },
    messageAttributes: {},
  }) as unknown as SQSRecord;

/** A runtime whose settler records what it is asked: a narrow unit test; the workers' integration suites use the real one. */
function fakeRuntime() {
  const delays: Array<{ id: string; seconds: number }> = [];
  const settled: string[] = [];
  const requeued: Array<{ id: string; dueAt: number; attempts: number | undefined }> = [];
  const settler = {
    policy: { budgetSeconds: 600, backoffBaseSeconds: 1, backoffCapSeconds: 8, circuitTrialCapSeconds: 4 },
    settle: async (r: SQSRecord, error: IntegrationError): Promise<Settlement> => {
      settled.push(r.messageId);
      return { kind: 'retryLater', failure: error, delaySeconds: 7, history: { attempts: 3, firstFailedAt: 1_000, budgetFrom: 1_000 } };
    },
    delay: async (r: SQSRecord, seconds: number) => void delays.push({ id: r.messageId, seconds }),
  };
  const requeuer = {
    toBackOfGroup: async (r: SQSRecord, due: { dueAt: number; history?: { attempts: number } }) => void requeued.push({ id: r.messageId, dueAt: due.dueAt, attempts: due.history?.attempts }),
  };
  const runtime = {
    telemetry: createTelemetry('test'),
    idempotency: { config: { registerLambdaContext: () => undefined } },
    tenants: async () => tenants,
    deadline: () => Date.now() + 10_000,
    settler,
    requeuer,
  } as unknown as QueueWorkerRuntime;
  return { runtime, delays, settled, requeued };
}

const context = { getRemainingTimeInMillis: () => 10_000 } as Context;

/** A worker's batch handler for account-opened events whose flow is `apply`. */
const ACCOUNTS = { [ACCOUNT_OPENED]: accountOpenedEvent };
const accountsHandler = (runtime: QueueWorkerRuntime, apply: RecordFlow<typeof ACCOUNTS>['apply']) => fifoBatchHandler(runtime, { accepts: ACCOUNTS, logKeys: () => ({}), apply });

const customerNotFound = () => new IntegrationError({ category: FailureCategory.DependencyNotReady, code: 'CUS001', message: 'customer not found' });

describe('FIFO record batches: a failed record', () => {
  it("holds back the rest of a failed record's group until that record is due again, while other groups go on", async () => {
    const { runtime, delays, settled } = fakeRuntime();
    const applied: string[] = [];
    const handler = accountsHandler(runtime, async (event, { record: r }) => {
      if (event.data.entityId === 'A' && r.messageId === 'a1') throw new IntegrationError({ category: FailureCategory.Transient, code: 'HTTP_503', message: 'down' });
      applied.push(r.messageId);
      return { outcome: 'succeeded' };
    });
    const batch: SQSEvent = {
      Records: [record('a1', 'ACME_BANK:A', 'A'), record('b1', 'ACME_BANK:B', 'B'), record('a2', 'ACME_BANK:A', 'A'), record('b2', 'ACME_BANK:B', 'B'), record('a3', 'ACME_BANK:A', 'A')],
    };

    const response = await handler(batch, context);

    expect(response.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(['a1', 'a2', 'a3']);
    expect(applied).toEqual(['b1', 'b2']);
    // Only the head failed on its own (and started a retry budget); the held-back records come back with it.
    expect(settled).toEqual(['a1']);
    expect(delays).toEqual([
      { id: 'a2', seconds: 7 },
      { id: 'a3', seconds: 7 },
    ]);
  });
});

describe('FIFO record batches: a record waiting on its customer', () => {
  it('moves a record waiting on its customer to the back of its group, so the customer behind it goes first', async () => {
    const { runtime, requeued, delays } = fakeRuntime();
    const applied: string[] = [];
    const handler = accountsHandler(runtime, async (_event, { record: r }) => {
      if (r.messageId === 'a1') throw customerNotFound();
      applied.push(r.messageId);
      return { outcome: 'succeeded' };
    });
    const before = Date.now();
    const response = await handler({ Records: [record('a1', 'ACME_BANK:A', 'A'), record('a2', 'ACME_BANK:A', 'A')] }, context);
    // The copy carries its history and when it is due: the record's delay, not a fresh start.
    expect(requeued).toEqual([{ id: 'a1', dueAt: expect.any(Number), attempts: 3 }]);
    expect(requeued[0]!.dueAt).toBeGreaterThanOrEqual(before + 7_000);
    expect(applied).toEqual(['a2']);
    expect(response.batchItemFailures).toEqual([]);
    expect(delays).toEqual([]);
  });

  it('does not attempt a moved copy that is back before it is due: alone, it is held until then; with others behind it, it steps aside again', async () => {
    const { runtime, requeued, delays, settled } = fakeRuntime();
    const applied: string[] = [];
    const handler = accountsHandler(runtime, async (_event, { record: r }) => {
      applied.push(r.messageId);
      return { outcome: 'succeeded' };
    });
    const early = (id: string) => {
      const copy = record(id, 'ACME_BANK:A', 'A');
      copy.messageAttributes = { 'retry.dueAt': { dataType: 'Number', stringValue: String(Date.now() + 60_000) } } as SQSRecord['messageAttributes'];
      return copy;
    };
    const alone = await handler({ Records: [early('a1')] }, context);
    expect(alone.batchItemFailures).toEqual([{ itemIdentifier: 'a1' }]);
    expect(delays).toEqual([{ id: 'a1', seconds: 60 }]);

    const withOthers = await handler({ Records: [early('a2'), record('a3', 'ACME_BANK:A', 'A')] }, context);
    expect(withOthers.batchItemFailures).toEqual([]);
    expect(requeued.map((r) => r.id)).toEqual(['a2']);
    expect(applied).toEqual(['a3']);
    expect(settled).toEqual([]);
  });
});

describe('FIFO record batches: message groups', () => {
  it('runs message groups of one batch at once', async () => {
    const { runtime } = fakeRuntime();
    const groups = ['A', 'B', 'C', 'D'];
    let started = 0;
    let allStarted!: () => void;
    const together = new Promise<void>((resolve) => (allStarted = resolve));
    // Each record waits until every group's record has started: only groups run at once get through.
    const handler = accountsHandler(runtime, async () => {
      started += 1;
      if (started === groups.length) allStarted();
      await together;
      return { outcome: 'succeeded' };
    });
    const response = await handler({ Records: groups.map((g, i) => record(`r${i}`, `ACME_BANK:${g}`, g)) }, context);
    expect(started).toBe(groups.length);
    expect(response.batchItemFailures).toEqual([]);
  });
});

import type { SQSClient } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { DeadLetterPublisher, DLQ_ATTRIBUTES } from '../../shared/messaging/dead-letter.js';
import type { RetryHistoryStore } from '../../shared/messaging/retry-history.js';
import { FailureSettler } from '../../shared/messaging/settle.js';
import { FailureCategory, IntegrationError } from '../../shared/resilience/errors.js';

/** Records the commands sent; a narrow unit test, the integration suites use fauxqs. */
function fakeSqs() {
  const sent: Array<{ name: string; input: Record<string, unknown> }> = [];
  const client = { send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => (sent.push({ name: command.constructor.name, input: command.input }), {}) };
  return { sent, client: client as unknown as SQSClient };
}

const record = (receiveCount: number, fifo = false): SQSRecord =>
  ({
    messageId: 'm-1',
    receiptHandle: 'rh',
    body: '{"original":true}',
    attributes: { ApproximateReceiveCount: String(receiveCount), ...(fifo && { MessageGroupId: 'ACME_BANK:C1' }) },
    messageAttributes: {},
  }) as unknown as SQSRecord;

const NOW = 1_800_000_000_000;
const POLICY = { budgetSeconds: 3_600, backoffBaseSeconds: 30, backoffCapSeconds: 900, circuitTrialCapSeconds: 300 };
/** A history whose record first failed `failingForSeconds` ago and has now failed `attempts` times. */
const historyAt = (failingForSeconds: number, attempts: number) =>
  ({ recordFailure: async () => ({ attempts, firstFailedAt: NOW - failingForSeconds * 1_000, budgetFrom: NOW - failingForSeconds * 1_000 }) }) as unknown as RetryHistoryStore;

const settlerWith = (sqs: SQSClient, { fifo = false, failingForSeconds = 0, attempts = 1 } = {}) =>
  new FailureSettler({
    sqs,
    queueUrl: 'http://q',
    deadLetters: new DeadLetterPublisher({ sqs, dlqUrl: 'http://dlq', fifo, functionName: 'core-banking-events' }),
    history: historyAt(failingForSeconds, attempts),
    policy: POLICY,
    maxReceiveCount: 50,
    now: () => NOW,
  });

const error = (category: FailureCategory, code = 'X') => new IntegrationError({ category, code, message: `failed with ${code}` });

describe('failure settlement: dead letters', () => {
  it('dead-letters invalid and permanent failures at once, body unchanged, reason in attributes', async () => {
    const { sent, client } = fakeSqs();
    const settlement = await settlerWith(client, { fifo: true }).settle(record(1, true), error(FailureCategory.Permanent, 'MCC007'), 'event#e-1');
    expect(settlement.kind).toBe('deadLettered');
    expect(sent).toHaveLength(1);
    const input = sent[0]!.input as { MessageBody: string; MessageGroupId: string; MessageDeduplicationId: string; MessageAttributes: Record<string, { StringValue: string }> };
    expect(input.MessageBody).toBe('{"original":true}');
    expect(input.MessageGroupId).toBe('ACME_BANK:C1');
    expect(input.MessageDeduplicationId).toBe('m-1');
    expect(input.MessageAttributes[DLQ_ATTRIBUTES.code]?.StringValue).toBe('MCC007');
    expect(input.MessageAttributes[DLQ_ATTRIBUTES.category]?.StringValue).toBe('Permanent');
    expect(input.MessageAttributes[DLQ_ATTRIBUTES.originalMessageId]?.StringValue).toBe('m-1');
    expect(input.MessageAttributes[DLQ_ATTRIBUTES.functionName]?.StringValue).toBe('core-banking-events');
  });

  it("masks and bounds the platform's message in the dead-letter reason", async () => {
    const { sent, client } = fakeSqs();
    const echoed = new IntegrationError({
      category: FailureCategory.Permanent,
      code: 'invalid.input.request',
      message: `DCMS register: bad mobile 9876543210 for aadhu@example.com ${'x'.repeat(5_000)}`,
    });
    await settlerWith(client).settle(record(1), echoed, 'event#e-1');
    const reason = (sent[0]!.input as { MessageAttributes: Record<string, { StringValue: string }> }).MessageAttributes[DLQ_ATTRIBUTES.message]!.StringValue;
    expect(reason).not.toMatch(/9876543210|aadhu@example\.com/);
    expect(reason.length).toBeLessThanOrEqual(512);
  });
});

describe('failure settlement: retries', () => {
  it("hands transient failures back to SQS with a visibility timeout that doubles per attempt of the record, up to the cap, whatever the copy's receive count", async () => {
    for (const [attempts, seconds] of [
      [1, 30],
      [2, 60],
      [4, 240],
      [9, 900],
    ] as const) {
      const { sent, client } = fakeSqs();
      expect((await settlerWith(client, { attempts }).settle(record(1), error(FailureCategory.Transient), 'event#e-1')).kind).toBe('retryLater');
      expect(sent).toEqual([{ name: 'ChangeMessageVisibilityCommand', input: { QueueUrl: 'http://q', ReceiptHandle: 'rh', VisibilityTimeout: seconds } }]);
    }
  });

  it('brings a record refused by an open circuit back exactly when the trial is due, whatever its receive count', async () => {
    const { sent, client } = fakeSqs();
    const open = new IntegrationError({ category: FailureCategory.Transient, code: 'CIRCUIT_OPEN', message: 'open', dueInSeconds: 7 });
    expect(await settlerWith(client).settle(record(12), open, 'event#e-1')).toMatchObject({ kind: 'retryLater', delaySeconds: 7 });
    expect(sent[0]!.input).toMatchObject({ VisibilityTimeout: 7 });
  });

  it('honours a Retry-After longer than the ladder', async () => {
    const { sent, client } = fakeSqs();
    const throttled = new IntegrationError({ category: FailureCategory.Transient, code: 'HTTP_429', message: 'slow down', retryAfterSeconds: 120 });
    await settlerWith(client).settle(record(1), throttled, 'event#e-1');
    expect(sent[0]!.input).toMatchObject({ VisibilityTimeout: 120 });
  });

  it("keeps an unhealthy platform's records waiting however many receives they took, while the budget lasts", async () => {
    const { client } = fakeSqs();
    const settlement = await settlerWith(client, { failingForSeconds: 3_599 }).settle(record(40), error(FailureCategory.DependencyNotReady, 'CUS001'), 'event#e-1');
    expect(settlement.kind).toBe('retryLater');
  });
});

describe('failure settlement: when retrying ends', () => {
  it('dead-letters as Exhausted once the retry budget is spent, keeping the last category', async () => {
    const { sent, client } = fakeSqs();
    const settlement = await settlerWith(client, { failingForSeconds: 3_600, attempts: 5 }).settle(record(1), error(FailureCategory.DependencyNotReady, 'CUS001'), 'event#e-1');
    expect(settlement).toMatchObject({ kind: 'deadLettered', failure: { category: 'Exhausted', code: 'CUS001' } });
    const attributes = (sent[0]!.input as { MessageAttributes: Record<string, { StringValue: string }> }).MessageAttributes;
    expect(attributes[DLQ_ATTRIBUTES.originalCategory]?.StringValue).toBe('DependencyNotReady');
    expect(attributes[DLQ_ATTRIBUTES.attempts]?.StringValue).toBe('5');
    expect(attributes[DLQ_ATTRIBUTES.message]?.StringValue).toMatch(/retry budget 3600 s/);
  });

  it("dead-letters on the queue's last allowed receive of a copy, with the reason, so SQS never moves it silently", async () => {
    const { client } = fakeSqs();
    const settlement = await settlerWith(client).settle(record(50), error(FailureCategory.Transient, 'HTTP_503'), 'event#e-1');
    expect(settlement).toMatchObject({ kind: 'deadLettered', failure: { category: 'Exhausted', code: 'HTTP_503' } });
  });

  it("dead-letters once the record's attempts reach the safety net, whichever copy carries it", async () => {
    const { client } = fakeSqs();
    // 3 × (6 + 3,600 / 300) = 54 attempts for this policy.
    expect(await settlerWith(client, { attempts: 53 }).settle(record(1), error(FailureCategory.Transient, 'HTTP_503'), 'event#e-1')).toMatchObject({ kind: 'retryLater' });
    const settlement = await settlerWith(client, { attempts: 54 }).settle(record(1), error(FailureCategory.Transient, 'HTTP_503'), 'event#e-1');
    expect(settlement).toMatchObject({ kind: 'deadLettered', failure: { category: 'Exhausted', message: expect.stringMatching(/54 attempts/) } });
  });
});

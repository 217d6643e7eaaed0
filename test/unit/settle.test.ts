import type { SQSClient } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { DeadLetterPublisher, DLQ_ATTRIBUTES } from '../../shared/messaging/dead-letter.js';
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

const settlerWith = (sqs: SQSClient, fifo = false) =>
  new FailureSettler({
    sqs,
    queueUrl: 'http://q',
    deadLetters: new DeadLetterPublisher({ sqs, dlqUrl: 'http://dlq', fifo, functionName: 'core-banking-events' }),
    maxReceiveCount: 5,
    visibilityBaseSeconds: 30,
    visibilityMaxSeconds: 900,
  });

const error = (category: FailureCategory, code = 'X') => new IntegrationError({ category, code, message: `failed with ${code}` });

describe('failure settlement', () => {
  it('dead-letters invalid and permanent failures at once, body unchanged, reason in attributes', async () => {
    const { sent, client } = fakeSqs();
    const settlement = await settlerWith(client, true).settle(record(1, true), error(FailureCategory.Permanent, 'MCC007'));
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

  it('hands transient failures back to SQS with a visibility timeout that doubles per receive', async () => {
    for (const [receive, seconds] of [[1, 30], [2, 60], [4, 240]] as const) {
      const { sent, client } = fakeSqs();
      expect((await settlerWith(client).settle(record(receive), error(FailureCategory.Transient))).kind).toBe('retryLater');
      expect(sent).toEqual([{ name: 'ChangeMessageVisibilityCommand', input: { QueueUrl: 'http://q', ReceiptHandle: 'rh', VisibilityTimeout: seconds } }]);
    }
  });

  it('dead-letters as Exhausted on the last allowed receive, keeping the last category', async () => {
    const { sent, client } = fakeSqs();
    const settlement = await settlerWith(client).settle(record(5), error(FailureCategory.DependencyNotReady, 'CUS001'));
    expect(settlement).toMatchObject({ kind: 'deadLettered', failure: { category: 'Exhausted', code: 'CUS001' } });
    const attributes = (sent[0]!.input as { MessageAttributes: Record<string, { StringValue: string }> }).MessageAttributes;
    expect(attributes[DLQ_ATTRIBUTES.originalCategory]?.StringValue).toBe('DependencyNotReady');
    expect(attributes[DLQ_ATTRIBUTES.attempts]?.StringValue).toBe('5');
  });
});

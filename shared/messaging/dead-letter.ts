import { SendMessageCommand, type MessageAttributeValue, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { maskText } from '../observability/masking.js';
import type { IntegrationError } from '../resilience/errors.js';

/** Message attribute names on dead-letter records: what an operator filters and redrives on. */
export const DLQ_ATTRIBUTES = {
  category: 'failure.category',
  code: 'failure.code',
  message: 'failure.message',
  attempts: 'failure.attempts',
  functionName: 'failure.function',
  time: 'failure.time',
  originalMessageId: 'original.messageId',
  originalCategory: 'failure.lastCategory',
  /** Set by the operator CLI each time it sends a record back to its source queue. */
  redriveCount: 'redrive.count',
} as const;

/** SQS caps an attribute value at 256 KiB with the body; reasons are kept short and readable. */
const MAX_REASON_LENGTH = 512;

/** Calendar dates in the spellings partners echo (1978-06-01, 01-06-1978, 01/06/1978): a date of birth among them. */
const CALENDAR_DATE = /\b(?:\d{4}[-/]\d{2}[-/]\d{2}|\d{2}[-/]\d{2}[-/]\d{4})\b/g;

/**
 * A failure's message as an operator may read it: platforms echo request values in their error
 * text, so emails, card and phone numbers and dates are masked, and the length is bounded. The
 * code attribute stays exact: it is what triage and redrive filters use.
 */
export const deadLetterReason = (failure: IntegrationError): string => maskText(failure.message).replace(CALENDAR_DATE, '«date»').slice(0, MAX_REASON_LENGTH) || failure.code;

const text = (value: string): MessageAttributeValue => ({ DataType: 'String', StringValue: value });
const carried = (record: SQSRecord, name: string): string | undefined => record.messageAttributes?.[name]?.stringValue;

export interface DeadLetterOptions {
  sqs: SQSClient;
  dlqUrl: string;
  fifo: boolean;
  functionName: string;
}

/**
 * Sends a record to its DLQ with the body unchanged and the reason as attributes. The caller then
 * acknowledges the record (it is deleted from the source queue only after this send succeeded).
 */
export class DeadLetterPublisher {
  constructor(private readonly options: DeadLetterOptions) {}

  async publish(record: SQSRecord, failure: IntegrationError, attempts: number, originalCategory?: string): Promise<void> {
    const attributes: Record<string, MessageAttributeValue> = {
      [DLQ_ATTRIBUTES.category]: text(failure.category),
      [DLQ_ATTRIBUTES.code]: text(failure.code),
      [DLQ_ATTRIBUTES.message]: text(deadLetterReason(failure)),
      [DLQ_ATTRIBUTES.attempts]: { DataType: 'Number', StringValue: String(attempts) },
      [DLQ_ATTRIBUTES.functionName]: text(this.options.functionName),
      [DLQ_ATTRIBUTES.time]: text(new Date().toISOString()),
      // A redriven record that fails again keeps pointing at the message the producer sent, and its redrive count.
      [DLQ_ATTRIBUTES.originalMessageId]: text(carried(record, DLQ_ATTRIBUTES.originalMessageId) ?? record.messageId),
      ...(originalCategory && { [DLQ_ATTRIBUTES.originalCategory]: text(originalCategory) }),
    };
    const redriveCount = carried(record, DLQ_ATTRIBUTES.redriveCount);
    if (redriveCount) attributes[DLQ_ATTRIBUTES.redriveCount] = { DataType: 'Number', StringValue: redriveCount };
    await this.options.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.options.dlqUrl,
        MessageBody: record.body,
        MessageAttributes: attributes,
        ...(this.options.fifo && {
          MessageGroupId: record.attributes.MessageGroupId ?? 'dead-letter',
          MessageDeduplicationId: record.messageId,
        }),
      }),
    );
  }
}

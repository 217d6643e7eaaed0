import { ACCOUNT_OPENED, CUSTOMER_CREATED, parseEvent } from '../../shared/contracts/index.js';
import { isIntegrationError } from '../../shared/resilience/errors.js';
import { QUEUES } from '../../shared/config/resources.js';

/** What a bulk import may carry: a bank's book of customers and their accounts. */
export const IMPORTABLE_TYPES = [CUSTOMER_CREATED, ACCOUNT_OPENED] as const;

/** A line the bulk queue will take: its body as written, its FIFO group and deduplication id. */
export interface AcceptedLine {
  ok: true;
  body: string;
  eventId: string;
  /** `tenant:entityId`, the order the core-banking worker keeps. */
  groupId: string;
}

export interface RejectedLine {
  ok: false;
  /** `CODE: what is wrong`, as the worker would dead-letter it (BAD_JSON, SCHEMA, UNEXPECTED_TYPE…), never quoting a value. */
  reason: string;
}

/** SQS deduplication ids: 1 to 128 characters, letters, digits and punctuation. */
const DEDUPLICATION_ID = /^[\w!"#$%&'()*+,\-./:;<=>?@[\\\]^`{|}~]{1,128}$/;

/**
 * Checks one line with the event contracts, exactly as the core-banking worker parses a body, so a
 * line it would dead-letter is refused here instead and never sent.
 */
export function checkLine(text: string, tenants: ReadonlySet<string>): AcceptedLine | RejectedLine {
  try {
    const event = parseEvent(text, IMPORTABLE_TYPES, tenants);
    // The deduplication id is the event id: a second import of the same event within five minutes is dropped by SQS.
    if (!DEDUPLICATION_ID.test(event.id)) return { ok: false, reason: 'SCHEMA: id: must be 1 to 128 letters, digits or punctuation (an SQS deduplication id)' };
    const field = QUEUES.coreBankingBulk.messageGroupField;
    return { ok: true, body: text, eventId: event.id, groupId: `${event.tenant}:${event.data[field]}` };
  } catch (error) {
    if (isIntegrationError(error)) return { ok: false, reason: `${error.code}: ${error.message}` };
    throw error;
  }
}

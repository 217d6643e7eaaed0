/**
 * The one error taxonomy (docs/architecture.md §3). Every failure that leaves a client or a flow module is an
 * IntegrationError with a category; handlers decide what happens to a record from the category
 * alone, never from message text.
 */

export const FailureCategory = {
  /** Schema or contract violation: the event can never succeed as sent. Dead-letter at once. */
  InvalidEvent: 'InvalidEvent',
  /** 4xx or a platform business error: repeating it gives the same answer. Dead-letter at once. */
  Permanent: 'Permanent',
  /** 5xx, 429, network, timeout: retry in-call, then let SQS redeliver. */
  Transient: 'Transient',
  /** The request may or may not have taken effect (timeout or dropped connection on a write). */
  UnknownOutcome: 'UnknownOutcome',
  /** A prerequisite is missing on the platform (e.g. CUS001 for a card): retry later, via SQS. */
  DependencyNotReady: 'DependencyNotReady',
  /** Still failing when the record's retry budget ran out (or on the queue's last allowed receive): set on dead-letter records. */
  Exhausted: 'Exhausted',
} as const;
export type FailureCategory = (typeof FailureCategory)[keyof typeof FailureCategory];

export interface IntegrationErrorDetails {
  category: FailureCategory;
  /** Stable machine code: the platform's errorCode, an HTTP status (`HTTP_503`) or our own (`SCHEMA`). */
  code: string;
  message: string;
  /** HTTP status, when the failure came from an HTTP answer. */
  status?: number;
  /** Seconds the platform asked us to wait (Retry-After): the least wait before trying again. */
  retryAfterSeconds?: number;
  /**
   * Seconds until the record is due again, known exactly (an open circuit's next trial call, the
   * end of a settle window): the record comes back then, neither earlier nor later.
   */
  dueInSeconds?: number;
  cause?: unknown;
}

export class IntegrationError extends Error {
  readonly category: FailureCategory;
  readonly code: string;
  readonly status: number | undefined;
  readonly retryAfterSeconds: number | undefined;
  readonly dueInSeconds: number | undefined;

  constructor(details: IntegrationErrorDetails) {
    super(details.message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'IntegrationError';
    this.category = details.category;
    this.code = details.code;
    this.status = details.status;
    this.retryAfterSeconds = details.retryAfterSeconds;
    this.dueInSeconds = details.dueInSeconds;
  }

  /** Worth another attempt inside this invocation (only plain transient faults are). */
  get retryableInCall(): boolean {
    return this.category === FailureCategory.Transient;
  }

  /** Goes to the dead-letter queue now, without waiting for SQS redeliveries. */
  get deadLetterNow(): boolean {
    return this.category === FailureCategory.InvalidEvent || this.category === FailureCategory.Permanent;
  }
}

export const invalidEvent = (code: string, message: string): IntegrationError => new IntegrationError({ category: FailureCategory.InvalidEvent, code, message });

export const isIntegrationError = (error: unknown): error is IntegrationError => error instanceof IntegrationError;

/** Wraps anything thrown by code we do not own: an unexpected error is transient until proven otherwise. */
export function toIntegrationError(error: unknown): IntegrationError {
  if (isIntegrationError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new IntegrationError({ category: FailureCategory.Transient, code: 'UNEXPECTED', message, cause: error });
}

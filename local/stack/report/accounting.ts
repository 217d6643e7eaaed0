import type { QueueKey } from '../../../shared/config/resources.js';
import type { EventOutcome, OutcomeReport } from '../../../shared/observability/telemetry.js';
import type { SendResult } from '../../../shared/tooling/sender.js';

/** Outcomes that end a record's life; `retried` is not one (the record comes back). */
export type FinalOutcome = Exclude<EventOutcome, 'retried'>;

/**
 * What happened to one input line, in exactly one of these:
 * a final worker outcome, `sqsDuplicate` (a FIFO re-send SQS dropped within its deduplication
 * window: the first send's outcome covers it), `refused` (SQS would not queue it), or
 * `unaccounted` (none of these: a bug to look at).
 */
export type InputOutcome = FinalOutcome | 'sqsDuplicate' | 'refused' | 'unaccounted';

export const INPUT_OUTCOMES: readonly InputOutcome[] = ['succeeded', 'duplicate', 'stale', 'reconciled', 'deadLettered', 'sqsDuplicate', 'refused', 'unaccounted'];

interface TrackedMessage {
  queue: QueueKey;
  /** Sent by this run (outcomes also arrive for messages from earlier runs or redrives). */
  fed: boolean;
  /** The input that produced the message: its line in the feed file, or its position in the demo feed. */
  line?: number;
  eventId?: string;
  eventType?: string;
  retries: number;
  /** The first final outcome; a later one means the record was handled again after it settled. */
  final?: OutcomeReport;
  finalOutcomes: FinalOutcome[];
}

/** Where a dead-lettered record was found: its DLQ message, by `original.messageId` (or its own id, if SQS moved it). */
export interface DeadLetterSighting {
  dlqMessageId: string;
  category?: string;
  code?: string;
  reason?: string;
}

export interface DeadLetteredEvent {
  messageId: string;
  line?: number;
  eventId?: string;
  eventType?: string;
  queue: QueueKey;
  category?: string;
  code?: string;
  reason?: string;
  /** Id in the DLQ; absent when the record is not there (an inconsistency, reported). */
  dlqMessageId?: string;
  /** `worker`: settled by the worker with its reason; `sqs`: moved by the queue's redrive policy, with no reason attached. */
  by: 'worker' | 'sqs';
}

export interface QueueProgress {
  fed: number;
  settled: number;
  deadLettered: number;
  retries: number;
}

export interface AccountingResult {
  eventsIn: number;
  /** Per input line; sums to eventsIn. */
  outcomes: Record<InputOutcome, number>;
  byQueue: Partial<Record<QueueKey, Record<InputOutcome, number>>>;
  /** Record deliveries that failed and went back to SQS (not final; one record may count several). */
  retries: number;
  deadLettered: DeadLetteredEvent[];
  /** Dead-lettered by the worker's own report, but not in the DLQ. */
  missingFromDlq: DeadLetteredEvent[];
  refused: Array<{ line: number; eventId?: string; queue: QueueKey; reason: string }>;
  unaccounted: Array<{ line?: number; messageId: string; eventId?: string; eventType?: string; queue: QueueKey; retries: number }>;
  /** Records that reached a final outcome more than once (handled again after settling): harmless if the later ones are duplicates. */
  settledMoreThanOnce: Array<{ messageId: string; eventId?: string; outcomes: FinalOutcome[] }>;
  /** Outcomes for messages this run did not feed (left over in a --state-dir queue, or redriven meanwhile). */
  otherMessages: number;
  /** Every input has exactly one final outcome and every dead-lettered one is in its DLQ. */
  complete: boolean;
}

const emptyCounts = (): Record<InputOutcome, number> => Object.fromEntries(INPUT_OUTCOMES.map((o) => [o, 0])) as Record<InputOutcome, number>;

/**
 * The books of a run, keyed by SQS message id: what was fed, and every outcome the workers
 * reported for it. Outcomes may arrive before the send's answer does; both sides meet here.
 */
export class Accounting {
  private readonly messages = new Map<string, TrackedMessage>();
  private readonly inputs: Array<{ line: number; queue: QueueKey; eventId?: string; messageId?: string; sqsDuplicate: boolean; refused?: string }> = [];

  /** Records a send; `lineNumbers[index]` names each input's line in its file (else inputs are numbered in order). */
  recordSent(results: readonly SendResult[], lineNumbers?: readonly number[]): void {
    for (const result of results) {
      const line = lineNumbers?.[result.index] ?? this.inputs.length + 1;
      const { queue, eventId, eventType } = result.message;
      if (result.messageId === undefined) {
        this.inputs.push({ line, queue, ...(eventId !== undefined && { eventId }), sqsDuplicate: false, refused: result.refused ?? 'not sent' });
        continue;
      }
      const known = this.messages.get(result.messageId);
      const sqsDuplicate = known?.fed === true;
      this.inputs.push({ line, queue, ...(eventId !== undefined && { eventId }), messageId: result.messageId, sqsDuplicate });
      if (sqsDuplicate) continue;
      const tracked = known ?? { queue, fed: true, retries: 0, finalOutcomes: [] };
      Object.assign(tracked, { fed: true, queue, line, ...(eventId !== undefined && { eventId }), ...(eventType !== undefined && { eventType }) });
      this.messages.set(result.messageId, tracked);
    }
  }

  observe(queue: QueueKey, report: OutcomeReport): void {
    let tracked = this.messages.get(report.messageId);
    if (!tracked) {
      tracked = { queue, fed: false, retries: 0, finalOutcomes: [] };
      this.messages.set(report.messageId, tracked);
    }
    if (report.outcome === 'retried') {
      tracked.retries += 1;
      return;
    }
    tracked.finalOutcomes.push(report.outcome);
    tracked.final ??= report;
  }

  /** Live counts per queue, for the progress display. */
  progress(): Partial<Record<QueueKey, QueueProgress>> {
    const result: Partial<Record<QueueKey, QueueProgress>> = {};
    for (const tracked of this.messages.values()) {
      if (!tracked.fed) continue;
      const entry = (result[tracked.queue] ??= { fed: 0, settled: 0, deadLettered: 0, retries: 0 });
      entry.fed += 1;
      entry.retries += tracked.retries;
      if (tracked.final) entry.settled += 1;
      if (tracked.final?.outcome === 'deadLettered') entry.deadLettered += 1;
    }
    return result;
  }

  /** Messages fed by this run that have no final outcome yet. */
  get open(): number {
    let open = 0;
    for (const tracked of this.messages.values()) if (tracked.fed && !tracked.final) open += 1;
    return open;
  }

  /**
   * Closes the books against the DLQs' contents (`sightings`, by original message id): every input
   * gets exactly one outcome, and every dead-lettered record must be in its DLQ.
   */
  settle(sightings: ReadonlyMap<string, DeadLetterSighting>): AccountingResult {
    const result: AccountingResult = {
      eventsIn: this.inputs.length,
      outcomes: emptyCounts(),
      byQueue: {},
      retries: 0,
      deadLettered: [],
      missingFromDlq: [],
      refused: [],
      unaccounted: [],
      settledMoreThanOnce: [],
      otherMessages: 0,
      complete: false,
    };
    const count = (queue: QueueKey, outcome: InputOutcome) => {
      result.outcomes[outcome] += 1;
      (result.byQueue[queue] ??= emptyCounts())[outcome] += 1;
    };

    for (const input of this.inputs) {
      if (input.refused !== undefined) {
        count(input.queue, 'refused');
        result.refused.push({ line: input.line, queue: input.queue, reason: input.refused, ...(input.eventId !== undefined && { eventId: input.eventId }) });
      } else if (input.sqsDuplicate) count(input.queue, 'sqsDuplicate');
    }

    for (const [messageId, tracked] of this.messages) {
      if (!tracked.fed) {
        result.otherMessages += 1;
        continue;
      }
      result.retries += tracked.retries;
      const identity = { messageId, queue: tracked.queue, ...pick(tracked) };
      const sighting = sightings.get(messageId);
      if (tracked.finalOutcomes.length > 1) result.settledMoreThanOnce.push({ messageId, ...(tracked.eventId !== undefined && { eventId: tracked.eventId }), outcomes: tracked.finalOutcomes });

      if (tracked.final?.outcome === 'deadLettered') {
        const { category, code, reason } = tracked.final;
        const event: DeadLetteredEvent = { ...identity, ...defined({ category, code, reason }), ...(sighting && { dlqMessageId: sighting.dlqMessageId }), by: 'worker' };
        result.deadLettered.push(event);
        if (!sighting) result.missingFromDlq.push(event);
        count(tracked.queue, 'deadLettered');
      } else if (tracked.final) {
        count(tracked.queue, tracked.final.outcome as FinalOutcome);
      } else if (sighting) {
        // No report from a worker, but in the DLQ: the queue's redrive policy moved it (the worker never settled it).
        result.deadLettered.push({ ...identity, ...defined({ category: sighting.category, code: sighting.code, reason: sighting.reason }), dlqMessageId: sighting.dlqMessageId, by: 'sqs' });
        count(tracked.queue, 'deadLettered');
      } else {
        count(tracked.queue, 'unaccounted');
        result.unaccounted.push({ ...identity, retries: tracked.retries });
      }
    }
    result.complete = result.outcomes.unaccounted === 0 && result.missingFromDlq.length === 0;
    return result;
  }
}

const pick = (tracked: TrackedMessage) => defined({ line: tracked.line, eventId: tracked.eventId, eventType: tracked.eventType ?? tracked.final?.eventType });

/** Drops undefined properties, so reports carry no `"key": undefined` noise. */
function defined<T extends Record<string, unknown>>(value: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}

import type { QueueKey } from '../../../shared/config/resources.js';
import type { EventOutcome, OutcomeReport } from '../../../shared/observability/telemetry.js';
import type { SendResult } from '../../../shared/tooling/sender.js';
import { LOCAL_RETRY_BUDGET_SECONDS } from '../../worker-env.js';
import { addEffects, effectsClaimedBy, NO_EFFECTS, type DcmsEffects } from './dcms-effects.js';

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
  /** The effects on DCMS it has if its worker reports it succeeded or reconciled. */
  claims?: DcmsEffects;
  retries: number;
  /** Its last return to the queue, while it has no final outcome: what it waits for, and until when. */
  wait?: Wait;
  /** The first final outcome; a later one means the record was handled again after it settled. */
  final?: OutcomeReport;
  /** Epoch ms of the first final outcome. */
  settledAt?: number;
  finalOutcomes: FinalOutcome[];
}

/** A record sent back to SQS to be tried again: why, and when. */
export interface Wait {
  category: string;
  code?: string;
  /** Epoch ms. */
  firstFailedAt: number;
  nextAttemptAt: number;
  /** When its retry budget runs out: its next attempt after this dead-letters it as Exhausted. */
  givesUpAt: number;
}

/** Records waiting now, for one reason on one queue. */
export interface WaitingGroup {
  queue: QueueKey;
  category: string;
  code?: string;
  records: number;
  /** The soonest next attempt among them (epoch ms). */
  nextAttemptAt: number;
  /** When the last of them gives up, if nothing it waits for comes (epoch ms). */
  givesUpAt: number;
}

/** Records that waited during the run, by the reason of their last wait, and how they ended. */
export interface WaitSummary {
  queue: QueueKey;
  category: string;
  code?: string;
  records: number;
  /** Their final outcomes; `unaccounted` for any still waiting when the run ended. */
  outcomes: Partial<Record<InputOutcome, number>>;
  /** From a record's first failure to its final outcome (or the run's end), the longest. */
  longestWaitSeconds: number;
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
  /** Records that waited (went back to SQS at least once), by reason. */
  waits: WaitSummary[];
  /** The effects on DCMS of the fed events their workers report succeeded or reconciled: the workers' word, not DCMS's. */
  claimedEffects: DcmsEffects;
  /** Every input has exactly one final outcome and every dead-lettered one is in its DLQ. */
  complete: boolean;
}

const emptyCounts = (): Record<InputOutcome, number> => Object.fromEntries(INPUT_OUTCOMES.map((o) => [o, 0])) as Record<InputOutcome, number>;

/**
 * The books of a run, keyed by SQS message id: what was fed, and every outcome the workers
 * reported for it. Outcomes may arrive before the send's answer does; both sides meet here.
 */
export class Accounting {
  /** @param retryBudgetSeconds the workers' retry budget: when a waiting record gives up, counted from its first failure. */
  constructor(private readonly retryBudgetSeconds = LOCAL_RETRY_BUDGET_SECONDS) {}

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
      Object.assign(tracked, { fed: true, queue, line, claims: effectsClaimedBy(result.message), ...(eventId !== undefined && { eventId }), ...(eventType !== undefined && { eventType }) });
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
      const { category, code, nextAttemptAt, firstFailedAt, givesUpAt } = report;
      if (!tracked.final && category !== undefined && nextAttemptAt !== undefined && firstFailedAt !== undefined) {
        tracked.wait = { category, ...(code !== undefined && { code }), firstFailedAt, nextAttemptAt, givesUpAt: givesUpAt ?? firstFailedAt + this.retryBudgetSeconds * 1_000 };
      }
      return;
    }
    tracked.finalOutcomes.push(report.outcome);
    if (tracked.final) return;
    tracked.final = report;
    tracked.settledAt = Date.now();
  }

  /** Records fed by this run that wait now, by queue and reason. */
  waiting(): WaitingGroup[] {
    const groups = new Map<string, WaitingGroup>();
    for (const { fed, final, wait, queue } of this.messages.values()) {
      if (!fed || final || !wait) continue;
      const key = `${queue}\u0000${wait.category}\u0000${wait.code ?? ''}`;
      const group = groups.get(key);
      if (group) {
        group.records += 1;
        group.nextAttemptAt = Math.min(group.nextAttemptAt, wait.nextAttemptAt);
        group.givesUpAt = Math.max(group.givesUpAt, wait.givesUpAt);
      } else {
        groups.set(key, { queue, category: wait.category, ...(wait.code !== undefined && { code: wait.code }), records: 1, nextAttemptAt: wait.nextAttemptAt, givesUpAt: wait.givesUpAt });
      }
    }
    return [...groups.values()];
  }

  /** When the last record still waiting gives up (epoch ms): a run must not stop before; undefined when none waits. */
  waitingUntil(): number | undefined {
    const ends = this.waiting().map((group) => group.givesUpAt);
    return ends.length > 0 ? Math.max(...ends) : undefined;
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
      waits: [],
      claimedEffects: NO_EFFECTS,
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
        if (tracked.claims && (tracked.final.outcome === 'succeeded' || tracked.final.outcome === 'reconciled')) result.claimedEffects = addEffects(result.claimedEffects, tracked.claims);
      } else if (sighting) {
        // No report from a worker, but in the DLQ: the queue's redrive policy moved it (the worker never settled it).
        result.deadLettered.push({ ...identity, ...defined({ category: sighting.category, code: sighting.code, reason: sighting.reason }), dlqMessageId: sighting.dlqMessageId, by: 'sqs' });
        count(tracked.queue, 'deadLettered');
      } else {
        count(tracked.queue, 'unaccounted');
        result.unaccounted.push({ ...identity, retries: tracked.retries });
      }
    }
    result.waits = this.waitSummaries();
    result.complete = result.outcomes.unaccounted === 0 && result.missingFromDlq.length === 0;
    return result;
  }

  private waitSummaries(now = Date.now()): WaitSummary[] {
    const summaries = new Map<string, WaitSummary>();
    for (const tracked of this.messages.values()) {
      const { wait } = tracked;
      if (!tracked.fed || !wait) continue;
      const key = `${tracked.queue}\u0000${wait.category}\u0000${wait.code ?? ''}`;
      const summary = summaries.get(key) ?? { queue: tracked.queue, category: wait.category, ...(wait.code !== undefined && { code: wait.code }), records: 0, outcomes: {}, longestWaitSeconds: 0 };
      const outcome: InputOutcome = (tracked.final?.outcome as FinalOutcome | undefined) ?? 'unaccounted';
      summary.records += 1;
      summary.outcomes[outcome] = (summary.outcomes[outcome] ?? 0) + 1;
      summary.longestWaitSeconds = Math.max(summary.longestWaitSeconds, Math.round(((tracked.settledAt ?? now) - wait.firstFailedAt) / 1_000));
      summaries.set(key, summary);
    }
    return [...summaries.values()].sort((a, b) => b.records - a.records);
  }
}

const pick = (tracked: TrackedMessage) => defined({ line: tracked.line, eventId: tracked.eventId, eventType: tracked.eventType ?? tracked.final?.eventType });

/** Drops undefined properties, so reports carry no `"key": undefined` noise. */
function defined<T extends Record<string, unknown>>(value: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}

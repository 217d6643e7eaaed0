import type { SandboxStats as Card91SandboxStats } from '../../../sandbox/card91/server.js';
import type { DcmsSandboxStats } from '../../../sandbox/dcms/server.js';
import type { QueueKey } from '../../../shared/config/resources.js';
import { maskText } from '../../../shared/observability/masking.js';
import type { AccountingResult, DeadLetteredEvent, InputOutcome, WaitSummary } from './accounting.js';
import type { CallCount } from './call-log.js';
import { runCallsPerEffect, type DcmsCallsPerEffect } from './calls-per-effect.js';
import type { DcmsEffects } from './dcms-effects.js';
import type { OperationCount } from './operation-counter.js';
import { platformAgrees, type PlatformVerification } from './verification.js';

/** The run's summary: what the table shows and what `--report` writes. */
export interface RunSummary {
  /**
   * Every input has exactly one final outcome and every dead-lettered event is in its DLQ; and,
   * with the local DCMS sandbox, DCMS agrees: no second card, every kit in its newest scan's status.
   */
  ok: boolean;
  startedAt: string;
  finishedAt: string;
  timing: {
    /** Emulators, resources, sandboxes and functions up. */
    startupMs: number;
    /** From the first event sent to the last queue drained. */
    processingMs: number;
    eventsPerSecond: number;
  };
  events: {
    in: number;
    /** Per input, one outcome each: sums to `in`. */
    outcomes: Record<InputOutcome, number>;
    byQueue: Partial<Record<QueueKey, Record<InputOutcome, number>>>;
    /** Deliveries that failed and went back to SQS (not final; one event may count several times). */
    retries: number;
    /** Outcomes seen for messages this run did not feed (a --state-dir leftover, a redrive meanwhile). */
    otherMessages: number;
  };
  deadLetters: {
    byReason: Array<{ queue: QueueKey; category: string; code: string; count: number; example: string }>;
    events: DeadLetteredEvent[];
  };
  /** Events that went back to SQS to wait (a platform down, an account before its customer), by the reason of their last wait, and how they ended. */
  waits: WaitSummary[];
  problems: {
    unaccounted: AccountingResult['unaccounted'];
    missingFromDlq: DeadLetteredEvent[];
    refused: AccountingResult['refused'];
    settledMoreThanOnce: AccountingResult['settledMoreThanOnce'];
  };
  /** With calls per effect: every request the workers sent to DCMS over what DCMS holds because of the run (calls-per-effect.ts). */
  dcms: DcmsCallsPerEffect & {
    url: string;
    calls: CallCount[];
    /** What the local sandbox observed (absent with DCMS_BASE_URL). `duplicateCards` must be 0. */
    sandbox?: Pick<DcmsSandboxStats, 'duplicateCards' | 'deliveryUpdates' | 'deliveryKitFailures'> & {
      calls: number;
      /** Faults the sandbox injected, by kind (`error`, `slowCommit`…), over every endpoint. */
      injectedFaults: Record<string, number>;
    };
  };
  card91: {
    url: string;
    /** By client method and HTTP status (or timeout/network). */
    calls: CallCount[];
    /** What the local sandbox observed (absent with CARD91_BASE_URL): its calls, and our auth webhook's verdicts on logins. */
    sandbox?: { calls: number; logins: Card91SandboxStats['webhook'] };
  };
  /** Commands the queue workers sent, counted by a middleware on their DynamoDB clients. */
  dynamodb: { reads: number; writes: number; operations: OperationCount[] };
  /** The run checked against the local DCMS sandbox's own state (absent with DCMS_BASE_URL). */
  verification?: PlatformVerification;
  logFile: string;
}

export interface SummaryInput {
  accounting: AccountingResult;
  startedAt: Date;
  bootedAt: Date;
  firstSentAt: Date;
  drainedAt: Date;
  dcmsUrl: string;
  dcmsCalls: CallCount[];
  sandbox?: DcmsSandboxStats;
  /** What the sandbox holds per tenant (its customers, kits and delivery statuses): the run's effects. */
  sandboxHoldings?: Record<string, DcmsEffects>;
  card91Url: string;
  card91Calls: CallCount[];
  card91Sandbox?: Card91SandboxStats;
  dynamo: OperationCount[];
  verification?: PlatformVerification;
  logFile: string;
}

/** Sandbox stats count calls per endpoint and outcome. */
const totalCalls = (calls: Record<string, Record<string, number>>): number => Object.values(calls).reduce((sum, outcomes) => sum + Object.values(outcomes).reduce((a, b) => a + b, 0), 0);

/** Sandbox stats name injected faults `fault:<kind>` among each endpoint's outcomes. */
function injectedFaults(calls: Record<string, Record<string, number>>): Record<string, number> {
  const faults: Record<string, number> = {};
  for (const outcomes of Object.values(calls)) {
    for (const [outcome, count] of Object.entries(outcomes)) {
      if (outcome.startsWith('fault:')) faults[outcome.slice('fault:'.length)] = (faults[outcome.slice('fault:'.length)] ?? 0) + count;
    }
  }
  return faults;
}

/** Dead-letter reasons can quote payload values: masked like every log line. */
const masked = (event: DeadLetteredEvent): DeadLetteredEvent => (event.reason === undefined ? event : { ...event, reason: maskText(event.reason) });

export function buildSummary(input: SummaryInput): RunSummary {
  const { accounting } = input;
  const processingMs = input.drainedAt.getTime() - input.firstSentAt.getTime();
  const events = accounting.deadLettered.map(masked);
  const byReason = new Map<string, RunSummary['deadLetters']['byReason'][number]>();
  for (const event of events) {
    const category = event.category ?? (event.by === 'sqs' ? 'MovedBySqs' : 'Unknown');
    const code = event.code ?? '-';
    const key = `${event.queue}\u0000${category}\u0000${code}`;
    const entry = byReason.get(key) ?? { queue: event.queue, category, code, count: 0, example: event.reason ?? '' };
    entry.count += 1;
    byReason.set(key, entry);
  }
  const sandbox = input.sandbox && {
    duplicateCards: input.sandbox.duplicateCards,
    deliveryUpdates: input.sandbox.deliveryUpdates,
    deliveryKitFailures: input.sandbox.deliveryKitFailures,
    calls: totalCalls(input.sandbox.calls),
    injectedFaults: injectedFaults(input.sandbox.calls),
  };
  const card91Sandbox = input.card91Sandbox && { calls: totalCalls(input.card91Sandbox.calls), logins: input.card91Sandbox.webhook };
  return {
    ok: accounting.complete && (sandbox?.duplicateCards ?? 0) === 0 && platformAgrees(input.verification),
    startedAt: input.startedAt.toISOString(),
    finishedAt: input.drainedAt.toISOString(),
    timing: {
      startupMs: input.bootedAt.getTime() - input.startedAt.getTime(),
      processingMs,
      eventsPerSecond: processingMs > 0 ? Math.round((accounting.eventsIn / processingMs) * 1_000 * 10) / 10 : 0,
    },
    events: {
      in: accounting.eventsIn,
      outcomes: accounting.outcomes,
      byQueue: accounting.byQueue,
      retries: accounting.retries,
      otherMessages: accounting.otherMessages,
    },
    deadLetters: { byReason: [...byReason.values()].sort((a, b) => b.count - a.count), events },
    waits: accounting.waits,
    problems: {
      unaccounted: accounting.unaccounted,
      missingFromDlq: accounting.missingFromDlq.map(masked),
      // A refusal's reason can quote the line it refuses.
      refused: accounting.refused.map((r) => ({ ...r, reason: maskText(r.reason) })),
      settledMoreThanOnce: accounting.settledMoreThanOnce,
    },
    dcms: { url: input.dcmsUrl, calls: input.dcmsCalls, ...runCallsPerEffect(input.dcmsCalls, input.sandboxHoldings, accounting.claimedEffects), ...(sandbox && { sandbox }) },
    card91: { url: input.card91Url, calls: input.card91Calls, ...(card91Sandbox && { sandbox: card91Sandbox }) },
    dynamodb: {
      reads: input.dynamo.filter((o) => o.kind === 'read').reduce((sum, o) => sum + o.calls, 0),
      writes: input.dynamo.filter((o) => o.kind === 'write').reduce((sum, o) => sum + o.calls, 0),
      operations: input.dynamo.toSorted((a, b) => a.table.localeCompare(b.table) || b.calls - a.calls),
    },
    ...(input.verification && { verification: input.verification }),
    logFile: input.logFile,
  };
}

import Table from 'cli-table3';
import { QUEUES, type QueueKey } from '../../../shared/config/resources.js';
import { INPUT_OUTCOMES, type InputOutcome } from './accounting.js';
import { describeCallsPerEffect } from './calls-per-effect.js';
import type { RunSummary } from './summary.js';
import type { PlatformVerification } from './verification.js';

const OUTCOME_LABELS: Record<InputOutcome, string> = {
  succeeded: 'succeeded',
  reconciled: 'reconciled (effect found on the platform after a lost answer)',
  duplicate: 'skipped: duplicate (idempotency record)',
  stale: 'skipped: stale (older than the kit’s last status)',
  deadLettered: 'dead-lettered',
  sqsDuplicate: 'dropped by SQS FIFO deduplication (same event id)',
  refused: 'refused by SQS (never queued)',
  unaccounted: 'UNACCOUNTED',
};

const MAX_LISTED = 10;

/** Renders the summary as tables, for a terminal or a CI log (no colours when not a TTY). */
export function renderSummary(summary: RunSummary, options: { color: boolean }): string {
  const style = options.color ? {} : { head: [], border: [] };
  const table: MakeTable = (head, tableOptions = {}) => new Table({ head, style, ...tableOptions });
  const sections = [
    eventsTable(summary, table),
    deadLettersTable(summary, table),
    waitsTable(summary, table),
    dcmsTable(summary, table),
    card91Table(summary, table),
    summary.verification && verificationTable(summary.verification, table),
    dynamoDbTable(summary, table),
    closingLines(summary),
  ];
  return sections.filter((section) => section !== undefined).join('\n');
}

type MakeTable = (head: string[], options?: Omit<Table.TableConstructorOptions, 'head' | 'style'>) => Table.Table;

/** Every event fed, by final outcome, in total and per queue. */
function eventsTable(summary: RunSummary, table: MakeTable): string {
  const queues = Object.keys(summary.events.byQueue) as QueueKey[];
  const events = table(['Events', 'total', ...queues.map((q) => QUEUES[q].name)], { colAligns: ['left', 'right', ...queues.map(() => 'right' as const)] });
  events.push(['in', summary.events.in, ...queues.map((q) => Object.values(summary.events.byQueue[q] ?? {}).reduce((a, b) => a + b, 0))]);
  for (const outcome of INPUT_OUTCOMES) {
    if (outcome === 'unaccounted' && summary.events.outcomes.unaccounted === 0) continue;
    events.push([OUTCOME_LABELS[outcome], summary.events.outcomes[outcome], ...queues.map((q) => summary.events.byQueue[q]?.[outcome] ?? 0)]);
  }
  events.push([{ colSpan: 2 + queues.length, content: `retries (deliveries sent back to SQS, not final): ${summary.events.retries}` }]);
  return events.toString();
}

/** Undefined when nothing was dead-lettered. */
function deadLettersTable(summary: RunSummary, table: MakeTable): string | undefined {
  if (summary.deadLetters.byReason.length === 0) return undefined;
  const dead = table(['Dead-lettered: queue', 'category', 'code', 'events', 'example reason'], { colWidths: [null, null, null, null, 60], wordWrap: true });
  for (const row of summary.deadLetters.byReason) dead.push([QUEUES[row.queue].name, row.category, row.code, row.count, row.example]);
  return dead.toString();
}

/** Events that waited, by reason, and how each ended; undefined when none had to. */
function waitsTable(summary: RunSummary, table: MakeTable): string | undefined {
  if (summary.waits.length === 0) return undefined;
  const waits = table(['Waited: queue', 'category', 'code', 'events', 'ended', 'longest wait'], { colAligns: ['left', 'left', 'left', 'right', 'left', 'right'] });
  for (const row of summary.waits) {
    const ended = Object.entries(row.outcomes)
      .map(([outcome, count]) => `${count} ${outcome === 'unaccounted' ? 'still waiting' : outcome}`)
      .join(', ');
    waits.push([QUEUES[row.queue].name, row.category, row.code ?? '-', row.records, ended, `${row.longestWaitSeconds} s`]);
  }
  return waits.toString();
}

/** The calls the functions made to DCMS, what the sandbox saw of them, and the calls per effect under the table. */
function dcmsTable(summary: RunSummary, table: MakeTable): string {
  const dcms = table(['DCMS calls: endpoint', 'outcome', 'calls', 'p50 ms', 'p95 ms'], { colAligns: ['left', 'left', 'right', 'right', 'right'] });
  for (const row of summary.dcms.calls) dcms.push([row.endpoint, row.outcome, row.calls, row.p50Ms, row.p95Ms]);
  if (summary.dcms.sandbox) {
    const { calls, duplicateCards, deliveryUpdates, deliveryKitFailures, injectedFaults } = summary.dcms.sandbox;
    const injected = Object.entries(injectedFaults)
      .map(([kind, count]) => `${count} ${kind}`)
      .join(', ');
    dcms.push([
      {
        colSpan: 5,
        content: `sandbox saw ${calls} calls${injected ? ` (injected: ${injected})` : ''} · duplicate cards ${duplicateCards} (must be 0) · delivery statuses set ${deliveryUpdates} · unknown kits ${deliveryKitFailures}`,
      },
    ]);
  }
  return `${dcms.toString()}\n${describeCallsPerEffect(summary.dcms)}`;
}

/** The calls the functions made to Card91, and the logins the sandbox had our auth webhook decide; undefined when Card91 played no part. */
function card91Table(summary: RunSummary, table: MakeTable): string | undefined {
  if (summary.card91.calls.length === 0 && !summary.card91.sandbox) return undefined;
  const card91 = table(['Card91 calls: method', 'status', 'calls', 'p50 ms', 'p95 ms'], { colAligns: ['left', 'left', 'right', 'right', 'right'] });
  for (const row of summary.card91.calls) card91.push([row.endpoint, row.outcome, row.calls, row.p50Ms, row.p95Ms]);
  if (summary.card91.sandbox) {
    const { calls, logins } = summary.card91.sandbox;
    card91.push([{ colSpan: 5, content: `sandbox saw ${calls} calls · logins our auth webhook accepted ${logins.accepted}, refused ${logins.refused}, could not reach ${logins.unreachable}` }]);
  }
  return card91.toString();
}

function dynamoDbTable(summary: RunSummary, table: MakeTable): string {
  const dynamo = table(['DynamoDB: table', 'operation', 'calls', 'failed'], { colAligns: ['left', 'left', 'right', 'left'] });
  for (const row of summary.dynamodb.operations) {
    const failed = Object.entries(row.errors)
      .map(([name, n]) => `${n} ${name}`)
      .join(', ');
    dynamo.push([row.table, row.command, row.calls, failed]);
  }
  dynamo.push([{ colSpan: 4, content: `reads ${summary.dynamodb.reads} · writes ${summary.dynamodb.writes} (by the queue workers; ConditionalCheckFailed is a guarded write doing its job)` }]);
  return dynamo.toString();
}

/** What DCMS itself shows after the run, against what the run should have left there. */
function verificationTable(verification: PlatformVerification, table: MakeTable): string {
  const { secondCards, cardsIssuedTwice, kitsChecked, kitsNotInNewestStatus, kitsLeftOut } = verification;
  const check = table(['Checked against DCMS', 'found', 'must be'], { colAligns: ['left', 'right', 'right'], colWidths: [60, 7, 9], wordWrap: true });
  check.push(['second cards (same entity, account and card type)', secondCards, 0]);
  check.push([`kits not in their newest scan's status (of ${kitsChecked} checked)`, kitsNotInNewestStatus.length, 0]);
  const leftOut = kitsLeftOut > 0 ? ` ${kitsLeftOut} kit(s) left out: their newest scan was dead-lettered as invalid or permanent.` : '';
  check.push([{ colSpan: 3, content: `Read from the DCMS sandbox's own state once no call was pending in it.${leftOut}` }]);
  const sections = [check.toString()];
  if (kitsNotInNewestStatus.length > 0) {
    const kits = table(['Kit not in its newest status: tenant', 'kitNo', 'newest scan', 'DCMS shows', 'DCMS applied, in order', 'scan time', 'event']);
    for (const kit of kitsNotInNewestStatus.slice(0, MAX_LISTED)) {
      kits.push([kit.tenant, kit.kitNo, kit.expected, kit.actual ?? '(none)', kit.dcmsHistory.join(' → ') || '-', kit.newestScan.occurredAt, kit.newestScan.eventId]);
    }
    if (kitsNotInNewestStatus.length > MAX_LISTED) kits.push([{ colSpan: 7, content: `… and ${kitsNotInNewestStatus.length - MAX_LISTED} more (see --report)` }]);
    sections.push(kits.toString());
  }
  if (cardsIssuedTwice.length > 0) {
    const cards = table(['Cards issued twice: tenant', 'entityId', 'card type', 'kits']);
    for (const entry of cardsIssuedTwice.slice(0, MAX_LISTED)) cards.push([entry.tenant, entry.entityId, entry.cardType, entry.kitNos.join(', ')]);
    if (cardsIssuedTwice.length > MAX_LISTED) cards.push([{ colSpan: 4, content: `… and ${cardsIssuedTwice.length - MAX_LISTED} more (see --report)` }]);
    sections.push(cards.toString());
  }
  return sections.join('\n');
}

const seconds = (ms: number) => `${(ms / 1_000).toFixed(1)} s`;

/** Wall time, the verdict and where the function logs are. */
function closingLines(summary: RunSummary): string {
  return [
    `Wall time: start-up ${seconds(summary.timing.startupMs)}, processing ${seconds(summary.timing.processingMs)} · ${summary.timing.eventsPerSecond} events/s`,
    verdict(summary),
    `Function logs: ${summary.logFile}`,
  ].join('\n');
}

function verdict(summary: RunSummary): string {
  const { unaccounted, missingFromDlq, settledMoreThanOnce } = summary.problems;
  const lines: string[] = [];
  const accounted = unaccounted.length === 0 && missingFromDlq.length === 0;
  if (accounted) lines.push(`Accounting: all ${summary.events.in} events accounted for, each in exactly one outcome; every dead-lettered one found in its DLQ.`);
  else lines.push('Accounting: NOT everything is accounted for:');
  const list = <T>(items: readonly T[], describe: (item: T) => string) =>
    items
      .slice(0, MAX_LISTED)
      .map((item) => `  - ${describe(item)}`)
      .concat(items.length > MAX_LISTED ? [`  … and ${items.length - MAX_LISTED} more (see --report)`] : []);
  if (unaccounted.length > 0) {
    lines.push(`${unaccounted.length} event(s) with no final outcome and not in a DLQ:`);
    lines.push(...list(unaccounted, (u) => `${u.line !== undefined ? `input ${u.line}, ` : ''}message ${u.messageId}${u.eventId ? `, event ${u.eventId}` : ''} (${u.retries} retries)`));
  }
  if (missingFromDlq.length > 0) {
    lines.push(`${missingFromDlq.length} event(s) reported dead-lettered but not found in the DLQ:`);
    lines.push(...list(missingFromDlq, (m) => `message ${m.messageId} (${m.code ?? 'no code'})`));
  }
  if (summary.dcms.sandbox && summary.dcms.sandbox.duplicateCards > 0) lines.push(`DCMS issued ${summary.dcms.sandbox.duplicateCards} duplicate card(s): at-most-once issuance failed.`);
  const stale = summary.verification?.kitsNotInNewestStatus.length ?? 0;
  if (stale > 0) lines.push(`DCMS shows ${stale} kit(s) in another status than their newest scan's: the run is NOT ok.`);
  if (settledMoreThanOnce.length > 0) {
    lines.push(`Note: ${settledMoreThanOnce.length} record(s) were handled again after settling (SQS at-least-once; counted once):`);
    lines.push(...list(settledMoreThanOnce, (s) => `message ${s.messageId}: ${s.outcomes.join(' → ')}`));
  }
  if (summary.events.otherMessages > 0) lines.push(`Also handled: ${summary.events.otherMessages} message(s) not fed by this run (earlier state or a redrive).`);
  return lines.join('\n');
}

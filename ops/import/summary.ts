import type { Disclosure } from '../disclosure.js';
import type { ImportResult } from './run.js';

export interface ImportSummary {
  source: string;
  target: string;
  queue: string;
  lines: number;
  imported: number;
  rejected: number;
  rejections: Array<{ line: number; reason: string }>;
  /** Lines repeating an earlier line exactly (same event id, same content): not sent. */
  duplicates: number;
  duplicateLines: Array<{ line: number; of: number }>;
  /** Lines sent that SQS deduplicated (acknowledged, not delivered): not counted in `imported`. */
  deduplicatedBySqs: number;
  deduplicatedLines: Array<{ line: number; eventId: string }>;
  /** The source had other content in an earlier run to this queue, so this run started from line 1. */
  changedSince?: { sha256: string; lines: number; acknowledgedThrough: number; completed: boolean; updatedAt: string };
  /** Lines an earlier run had done, skipped by this one. */
  resumedAfterLine: number;
  sentThisRun: number;
  completed: boolean;
  /** Messages in the bulk DLQ: before this run, and now. */
  deadLetters: { before: number; after: number; new: number };
  /** Messages still in the bulk queue (not yet processed by the workers) when the summary was taken. */
  stillQueued: number;
}

export function summarize(
  result: ImportResult,
  context: Pick<ImportSummary, 'source' | 'target' | 'queue' | 'stillQueued'> & { dlqBefore: number; dlqAfter: number },
  view: Disclosure,
): ImportSummary {
  const { source, target, queue, stillQueued, dlqBefore, dlqAfter } = context;
  const { lines, imported, rejected, duplicates, deduplicated, completed } = result.checkpoint;
  const changed = result.changedSince;
  return {
    source,
    target,
    queue,
    lines,
    imported,
    rejected: rejected.length,
    // Our reasons never quote a value, but SQS's refusals may.
    rejections: rejected.map((r) => ({ ...r, reason: view.text(r.reason) })),
    duplicates: duplicates.length,
    duplicateLines: duplicates,
    deduplicatedBySqs: deduplicated.length,
    deduplicatedLines: deduplicated,
    ...(changed && { changedSince: { sha256: changed.sha256, lines: changed.lines, acknowledgedThrough: changed.acknowledgedThrough, completed: changed.completed, updatedAt: changed.updatedAt } }),
    resumedAfterLine: result.resumedAfter,
    sentThisRun: result.sentNow,
    completed,
    deadLetters: { before: dlqBefore, after: dlqAfter, new: Math.max(0, dlqAfter - dlqBefore) },
    stillQueued,
  };
}

/** Rejections listed in the text summary; --json lists them all, and the checkpoint keeps them. */
const SHOWN_REJECTIONS = 50;

export function renderSummary(s: ImportSummary): string {
  const lines = [
    `${s.completed ? 'imported' : 'STOPPED'}: ${s.source} → ${s.queue} on ${s.target}`,
    `  lines ${s.lines}: imported ${s.imported}, rejected ${s.rejected}, duplicates in the file ${s.duplicates} (not sent), deduplicated by SQS ${s.deduplicatedBySqs} (sent, not delivered)${s.resumedAfterLine > 0 ? ` (resumed after line ${s.resumedAfterLine}; ${s.sentThisRun} sent by this run)` : ''}`,
    `  dead-lettered: ${s.deadLetters.new} new in the bulk DLQ (${s.deadLetters.after} in it)${s.stillQueued > 0 ? `; ${s.stillQueued} still queued (add --wait to count after the workers finish)` : ''}`,
  ];
  if (s.changedSince) {
    const before = s.changedSince;
    lines.splice(
      1,
      0,
      `  CHANGED: ${s.source} is not the file an earlier run imported to this queue (${before.completed ? 'completed' : `stopped after line ${before.acknowledgedThrough} of ${before.lines}`}, ${before.updatedAt}): this run started from line 1`,
    );
  }
  if (s.deduplicatedBySqs > 0) {
    lines.push(
      `  deduplicated by SQS (the same event was delivered less than 5 minutes before): lines ${s.deduplicatedLines
        .slice(0, SHOWN_REJECTIONS)
        .map((d) => d.line)
        .join(', ')}${s.deduplicatedBySqs > SHOWN_REJECTIONS ? ', …' : ''}`,
    );
  }
  if (s.duplicates > 0) {
    lines.push(
      `  duplicates in the file: ${s.duplicateLines
        .slice(0, SHOWN_REJECTIONS)
        .map((d) => `line ${d.line} repeats line ${d.of}`)
        .join(', ')}${s.duplicates > SHOWN_REJECTIONS ? ', …' : ''}`,
    );
  }
  if (s.rejected > 0) {
    lines.push('  rejected lines (not sent):');
    for (const r of s.rejections.slice(0, SHOWN_REJECTIONS)) lines.push(`    line ${r.line}: ${r.reason}`);
    if (s.rejected > SHOWN_REJECTIONS) lines.push(`    … and ${s.rejected - SHOWN_REJECTIONS} more (--json lists them all)`);
  }
  if (!s.completed) lines.push('  run the same command again to resume: lines already sent are not sent again');
  return lines.join('\n');
}

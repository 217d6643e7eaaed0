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
  const { lines, imported, rejected, completed } = result.checkpoint;
  return {
    source,
    target,
    queue,
    lines,
    imported,
    rejected: rejected.length,
    // Our reasons never quote a value, but SQS's refusals may.
    rejections: rejected.map((r) => ({ ...r, reason: view.text(r.reason) })),
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
    `  lines ${s.lines}: imported ${s.imported}, rejected ${s.rejected}${s.resumedAfterLine > 0 ? ` (resumed after line ${s.resumedAfterLine}; ${s.sentThisRun} sent by this run)` : ''}`,
    `  dead-lettered: ${s.deadLetters.new} new in the bulk DLQ (${s.deadLetters.after} in it)${s.stillQueued > 0 ? `; ${s.stillQueued} still queued (add --wait to count after the workers finish)` : ''}`,
  ];
  if (s.rejected > 0) {
    lines.push('  rejected lines (not sent):');
    for (const r of s.rejections.slice(0, SHOWN_REJECTIONS)) lines.push(`    line ${r.line}: ${r.reason}`);
    if (s.rejected > SHOWN_REJECTIONS) lines.push(`    … and ${s.rejected - SHOWN_REJECTIONS} more (--json lists them all)`);
  }
  if (!s.completed) lines.push('  run the same command again to resume: lines already sent are not sent again');
  return lines.join('\n');
}

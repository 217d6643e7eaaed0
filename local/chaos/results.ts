import type { StackRun } from './stack-run.js';

/** One chaos run, as the table shows it. */
export interface ChaosRow {
  seed: number;
  /** Events the run fed; undefined when the run left no report. */
  events?: number;
  /** Every dead letter is a valid event's: the demo runs with --demo-valid-only. */
  validDeadLettered?: number;
  /** `category/code ×n`, most frequent first. */
  deadLetterCodes: string[];
  secondCards?: number;
  kitsNotInNewestStatus?: number;
  kitsChecked?: number;
  /** Inputs with no final outcome, or dead-lettered but missing from their DLQ. */
  unaccounted?: number;
  retries?: number;
  /** Faults the DCMS sandbox injected, by kind. */
  injectedFaults: Record<string, number>;
  wallMs: number;
  exitCode: number | null;
  /** The three zeros, everything accounted for, and a report to show it. */
  passed: boolean;
  outputFile: string;
}

export function chaosRow(seed: number, run: StackRun): ChaosRow {
  const report = run.report;
  const base = { seed, wallMs: run.wallMs, exitCode: run.exitCode, outputFile: run.outputFile };
  if (report === undefined) return { ...base, deadLetterCodes: [], injectedFaults: {}, passed: false };
  const codes = new Map<string, number>();
  for (const { category, code } of report.deadLetters.events) {
    const key = `${category ?? 'MovedBySqs'}/${code ?? '-'}`;
    codes.set(key, (codes.get(key) ?? 0) + 1);
  }
  const row = {
    ...base,
    events: report.events.in,
    validDeadLettered: report.deadLetters.events.length,
    deadLetterCodes: [...codes].sort((a, b) => b[1] - a[1]).map(([key, count]) => `${key} ×${count}`),
    secondCards: report.verification?.secondCards ?? report.dcms.sandbox?.duplicateCards ?? 0,
    kitsNotInNewestStatus: report.verification?.kitsNotInNewestStatus.length ?? 0,
    kitsChecked: report.verification?.kitsChecked ?? 0,
    unaccounted: report.problems.unaccounted.length + report.problems.missingFromDlq.length,
    retries: report.events.retries,
    injectedFaults: report.dcms.sandbox?.injectedFaults ?? {},
  };
  const passed = report.verification !== undefined && row.validDeadLettered === 0 && row.secondCards === 0 && row.kitsNotInNewestStatus === 0 && row.unaccounted === 0 && run.exitCode === 0;
  return { ...row, passed };
}

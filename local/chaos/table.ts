import Table from 'cli-table3';
import type { ChaosRow } from './results.js';

const value = (n: number | undefined) => (n === undefined ? '-' : n);

/** The chaos results as one table, a row per seed: the three zeros first. */
export function renderChaosTable(title: string, rows: readonly ChaosRow[], options: { color: boolean }): string {
  const table = new Table({
    head: ['seed', 'events', 'valid events dead-lettered', 'dead-letter codes', 'second cards', 'kits not in newest status', 'retries', 'faults injected', 'wall time', 'verdict'],
    colAligns: ['right', 'right', 'right', 'left', 'right', 'right', 'right', 'left', 'right', 'left'],
    colWidths: [null, null, null, 40, null, null, null, 24, null, null],
    wordWrap: true,
    style: options.color ? {} : { head: [], border: [] },
  });
  for (const row of rows) {
    const verdict = row.passed ? 'pass' : row.events === undefined ? `no report (exit ${row.exitCode}; ${row.outputFile})` : `FAIL${row.unaccounted ? ` (${row.unaccounted} unaccounted)` : ''}`;
    table.push([
      row.seed,
      value(row.events),
      value(row.validDeadLettered),
      row.deadLetterCodes.join('\n') || '-',
      value(row.secondCards),
      row.kitsNotInNewestStatus === undefined ? '-' : `${row.kitsNotInNewestStatus} of ${row.kitsChecked}`,
      value(row.retries),
      Object.entries(row.injectedFaults)
        .map(([kind, count]) => `${kind} ${count}`)
        .join('\n') || '-',
      `${(row.wallMs / 1_000).toFixed(0)} s`,
      verdict,
    ]);
  }
  return `${title}\n${table.toString()}`;
}

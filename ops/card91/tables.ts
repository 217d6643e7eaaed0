import Table from 'cli-table3';

export type Cell = string | number | boolean | null | undefined;

const PLAIN = { head: [], border: [] };

/** A table of (already masked) rows; its columns are the keys of the first row. */
export function table(title: string, rows: ReadonlyArray<Record<string, Cell>>): string {
  if (rows.length === 0) return `${title}: none\n`;
  const head = Object.keys(rows[0]!);
  const rendered = new Table({ head, style: PLAIN });
  for (const row of rows) rendered.push(head.map((column) => String(row[column] ?? '')));
  return `${title}\n${rendered.toString()}\n`;
}

/** One (already masked) record, a field a line. */
export function fields(title: string, record: Record<string, Cell>): string {
  const rendered = new Table({ style: PLAIN });
  for (const [name, value] of Object.entries(record)) rendered.push({ [name]: String(value ?? '') });
  return `${title}\n${rendered.toString()}\n`;
}

import { createHash } from 'node:crypto';
import { readLines, type ImportSource } from './source.js';
import { checkLine } from './validate.js';

/**
 * Lines of one file that would be sent with the same deduplication id (the event id). SQS keeps
 * the first and drops the others within five minutes, so a second customer under a reused id
 * would vanish: lines whose content differs are all rejected, each naming the others; a line
 * repeating an earlier one exactly is counted as a duplicate and not sent.
 */
export interface FileDuplicates {
  /** Line → its rejection reason. */
  conflicts: Map<number, string>;
  /** Line → the earlier line it repeats. */
  repeats: Map<number, number>;
}

export const contentDigest = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 32);

/** One pass over the source before anything is sent, so no line of a conflict is sent either. */
export async function findFileDuplicates(source: ImportSource, tenants: ReadonlySet<string>): Promise<FileDuplicates> {
  const byId = new Map<string, Array<{ line: number; digest: string }>>();
  for await (const { line, text } of readLines(await source.open())) {
    const checked = checkLine(text, tenants);
    if (!checked.ok) continue;
    const lines = byId.get(checked.eventId) ?? [];
    lines.push({ line, digest: contentDigest(checked.body) });
    byId.set(checked.eventId, lines);
  }
  const duplicates: FileDuplicates = { conflicts: new Map(), repeats: new Map() };
  for (const lines of byId.values()) {
    if (lines.length < 2) continue;
    const [first] = lines as [{ line: number; digest: string }];
    if (lines.every((entry) => entry.digest === first.digest)) {
      for (const entry of lines.slice(1)) duplicates.repeats.set(entry.line, first.line);
      continue;
    }
    for (const entry of lines) {
      const others = lines.filter((other) => other.line !== entry.line).map((other) => other.line);
      duplicates.conflicts.set(entry.line, `DUPLICATE_ID: the event id is also on line ${others.join(', ')} with different content; none of them is sent`);
    }
  }
  return duplicates;
}

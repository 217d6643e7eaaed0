import { readFile } from 'node:fs/promises';

/**
 * The lines of a JSONL feed, each as written (a line that is not JSON is kept as it is: the worker
 * dead-letters it with its reason). Blank lines separate nothing and are skipped; CRLF files work.
 */
export interface FeedLine {
  /** 1-based line number in the file. */
  line: number;
  text: string;
}

export async function readFeedLines(path: string): Promise<FeedLine[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read the feed file ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { cause: error });
  }
  return text
    .split('\n')
    .map((raw, index) => ({ line: index + 1, text: raw.replace(/\r$/, '') }))
    .filter((entry) => entry.text.trim().length > 0);
}

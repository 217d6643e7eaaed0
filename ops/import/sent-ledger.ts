import { createHash } from 'node:crypto';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod';

/**
 * The deduplication ids imports from this state directory had acknowledged on a queue: what tells
 * a send SQS deduplicated from one it delivered, since SendMessageBatch answers both alike.
 */
const sentEntry = z.object({
  id: z.string(),
  digest: z.string(),
  /** Epoch ms just before the batch was sent: SQS received it no earlier. */
  requestedAt: z.number(),
  messageId: z.string(),
  source: z.string(),
  line: z.number().int(),
});
export type SentEntry = z.infer<typeof sentEntry>;

const parsedLine = (line: string): SentEntry | undefined => {
  try {
    const parsed = sentEntry.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data : undefined;
  } catch {
    // A line cut short by a crash mid-append: that send is counted as not recorded.
    return undefined;
  }
};

/** SQS FIFO's deduplication interval. */
export const DEDUPLICATION_INTERVAL_MS = 5 * 60_000;

export class SentLedger {
  private constructor(
    private readonly path: string,
    private readonly entries: Map<string, SentEntry>,
  ) {}

  /** The ledger of one queue: a JSON line per acknowledged send, appended, never rewritten. */
  static async open(directory: string, queueUrl: string): Promise<SentLedger> {
    const path = join(directory, `sent-${createHash('sha256').update(queueUrl).digest('hex').slice(0, 32)}.jsonl`);
    const entries = new Map<string, SentEntry>();
    let text = '';
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    for (const line of text.split('\n')) {
      const entry = line.trim() ? parsedLine(line) : undefined;
      // The latest delivery of an id wins: SQS's interval runs from it.
      if (entry) entries.set(entry.id, entry);
    }
    await mkdir(directory, { recursive: true });
    return new SentLedger(path, entries);
  }

  /** The latest delivered send of this deduplication id, if any. */
  get(id: string): SentEntry | undefined {
    return this.entries.get(id);
  }

  /**
   * Whether SQS deduplicated a send of `id` answered at `answeredAt` with `messageId`. Certain
   * whenever it says yes: SQS answers a duplicate with the delivered message's id, and two sends
   * received between the delivered one's request and this one's answer, under five minutes apart,
   * are within the interval. A send it says no to was delivered, unless the ledger does
   * not know the first one (another state directory) or the two straddle the interval's end
   * within a round trip.
   */
  deduplicated(id: string, messageId: string | undefined, answeredAt: number): boolean {
    const delivered = this.entries.get(id);
    if (!delivered) return false;
    return delivered.messageId === messageId || answeredAt - delivered.requestedAt < DEDUPLICATION_INTERVAL_MS;
  }

  /** Records sends SQS delivered (not the ones it deduplicated: the interval runs from the delivery). */
  async record(delivered: readonly SentEntry[]): Promise<void> {
    if (delivered.length === 0) return;
    for (const entry of delivered) this.entries.set(entry.id, entry);
    await appendFile(this.path, delivered.map((entry) => `${JSON.stringify(entry)}\n`).join(''), { mode: 0o600 });
  }
}

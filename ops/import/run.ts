import { setTimeout as sleep } from 'node:timers/promises';
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Checkpoint, CheckpointStore } from './checkpoint.js';
import { contentDigest, findFileDuplicates, type FileDuplicates } from './duplicates.js';
import { SentLedger, type SentEntry } from './sent-ledger.js';
import { readLines, type ImportSource } from './source.js';
import { checkLine, type AcceptedLine } from './validate.js';

export interface ImportOptions {
  source: ImportSource;
  sqs: SQSClient;
  /** The bulk queue of the target. */
  queueUrl: string;
  /** Tenants the workers know: a line of any other tenant is rejected, as the worker would dead-letter it. */
  tenants: ReadonlySet<string>;
  store: CheckpointStore;
  /** What scanSource found: the total and the digest the checkpoint belongs to. */
  scan: { lines: number; sha256: string };
  /** Messages per second, at most. */
  rate: number;
  /** Aborted (Ctrl-C): the batch under way is finished and checkpointed, nothing more is sent. */
  signal?: AbortSignal;
  /** After each batch: lines done (sent or rejected) of the total. */
  onProgress?: (done: number, checkpoint: Checkpoint) => void;
}

export interface ImportResult {
  checkpoint: Checkpoint;
  /** Lines already done by an earlier run, skipped by this one. */
  resumedAfter: number;
  /** Messages this run sent. */
  sentNow: number;
  stopped: boolean;
  /** When this run started afresh: the newest checkpoint of the same source and queue with other content. */
  changedSince?: Checkpoint;
}

/** SQS caps a batch at 10 entries; bodies are at most EVENT_BODY_MAX_BYTES, far under its 256 KiB batch cap. */
const MAX_BATCH = 10;

/**
 * Streams the source into the bulk queue at `rate` messages/s: each line checked with the event
 * contracts (a bad one is rejected with its line number and reason, never sent), valid ones sent in
 * file order in batches, the checkpoint written after each batch SQS acknowledged. One batch at a
 * time keeps each FIFO group's events in file order and the checkpoint a single line number.
 */
export async function importEvents(options: ImportOptions): Promise<ImportResult> {
  const identity = { source: options.source.label, queueUrl: options.queueUrl, sha256: options.scan.sha256 };
  const checkpoint = await options.store.load({ ...identity, lines: options.scan.lines });
  const resumedAfter = checkpoint.acknowledgedThrough;
  const fresh = resumedAfter === 0 && !checkpoint.completed;
  const changedSince = fresh ? await options.store.otherVersion(identity) : undefined;
  const ledger = await SentLedger.open(options.store.directory, options.queueUrl);
  let done = checkpoint.imported + checkpoint.rejected.length + checkpoint.duplicates.length + checkpoint.deduplicated.length;
  let sentNow = 0;
  const batchSize = Math.max(1, Math.min(MAX_BATCH, Math.floor(options.rate)));
  const started = performance.now();
  let batch: Array<AcceptedLine & { line: number }> = [];
  let lastLine = checkpoint.acknowledgedThrough;

  const flush = async (): Promise<void> => {
    if (batch.length > 0) {
      // Pacing: message n leaves no earlier than n / rate seconds after the start.
      const due = started + ((sentNow + batch.length) * 1_000) / options.rate;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      await sendBatch(options, ledger, batch, checkpoint);
      sentNow += batch.length;
      batch = [];
    }
    checkpoint.acknowledgedThrough = lastLine;
    await options.store.save(checkpoint);
    options.onProgress?.(done, checkpoint);
  };

  if (!checkpoint.completed) {
    const duplicates = await findFileDuplicates(options.source, options.tenants);
    for await (const { line, text } of readLines(await options.source.open())) {
      if (line <= resumedAfter) continue;
      if (options.signal?.aborted) break;
      const verdict = judge(line, checkLine(text, options.tenants), duplicates, ledger);
      if ('send' in verdict) batch.push({ ...verdict.send, line });
      else if ('repeats' in verdict) checkpoint.duplicates.push({ line, of: verdict.repeats });
      else checkpoint.rejected.push({ line, reason: verdict.reason });
      lastLine = line;
      done += 1;
      if (batch.length === batchSize) await flush();
    }
    const stopped = options.signal?.aborted === true;
    await flush();
    if (!stopped) {
      checkpoint.completed = true;
      await options.store.save(checkpoint);
    }
  }
  return { checkpoint, resumedAfter, sentNow, stopped: !checkpoint.completed, ...(changedSince && { changedSince }) };
}

/** What becomes of one line: sent, counted as a repeat of an earlier line, or rejected with its reason. */
function judge(line: number, checked: ReturnType<typeof checkLine>, duplicates: FileDuplicates, ledger: SentLedger): { send: AcceptedLine } | { repeats: number } | { reason: string } {
  if (!checked.ok) return { reason: checked.reason };
  const conflict = duplicates.conflicts.get(line);
  if (conflict !== undefined) return { reason: conflict };
  const repeats = duplicates.repeats.get(line);
  if (repeats !== undefined) return { repeats };
  const earlier = ledger.get(checked.eventId);
  // Under this id SQS (within five minutes) or the workers' idempotency (after) would keep what was sent first.
  if (earlier && earlier.digest !== contentDigest(checked.body)) {
    return { reason: `DUPLICATE_ID: the event id was imported to this queue before with different content (${earlier.source} line ${earlier.line}); not sent` };
  }
  return { send: checked };
}

/**
 * One batch, all or nothing for the checkpoint: an entry SQS refuses for what it is (SenderFault:
 * too large, bad characters) is rejected with SQS's reason; anything else (throttled, SQS failing,
 * the network) throws, leaving the checkpoint before this batch so the next run sends it again
 * (SQS's deduplication and the workers' idempotency absorb what had got through).
 */
async function sendBatch(options: ImportOptions, ledger: SentLedger, batch: ReadonlyArray<AcceptedLine & { line: number }>, checkpoint: Checkpoint): Promise<void> {
  const requestedAt = Date.now();
  const answer = await options.sqs.send(
    new SendMessageBatchCommand({
      QueueUrl: options.queueUrl,
      Entries: batch.map((entry, index) => ({ Id: String(index), MessageBody: entry.body, MessageGroupId: entry.groupId, MessageDeduplicationId: entry.eventId })),
    }),
  );
  const failed = answer.Failed ?? [];
  const transient = failed.filter((entry) => entry.SenderFault !== true);
  if (transient.length > 0)
    throw new Error(`SQS did not take lines ${transient.map((entry) => batch[Number(entry.Id)]?.line).join(', ')} (${transient[0]?.Code ?? 'unknown'}): run the same import again to resume`);
  for (const entry of failed) checkpoint.rejected.push({ line: batch[Number(entry.Id)]!.line, reason: `SQS refused it: ${entry.Code}${entry.Message ? `: ${entry.Message}` : ''}` });
  const answeredAt = Date.now();
  const delivered: SentEntry[] = [];
  for (const { Id, MessageId } of answer.Successful ?? []) {
    const entry = batch[Number(Id)]!;
    if (ledger.deduplicated(entry.eventId, MessageId, answeredAt)) checkpoint.deduplicated.push({ line: entry.line, eventId: entry.eventId });
    else delivered.push({ id: entry.eventId, digest: contentDigest(entry.body), requestedAt, messageId: MessageId ?? '', source: options.source.label, line: entry.line });
  }
  // Before the checkpoint: a crash in between resends the batch, which the ledger then counts as deduplicated.
  await ledger.record(delivered);
  checkpoint.imported += delivered.length;
}

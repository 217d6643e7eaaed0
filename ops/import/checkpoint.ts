import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod';

/**
 * How far an import got, written after every batch SQS acknowledged: a stopped import (Ctrl-C, a
 * crash, a lost connection) resumes after `acknowledgedThrough` and sends nothing twice. Kept in a
 * state directory under a key made of the content's digest and the destination queue, so an edited
 * file or another stage starts afresh.
 */
export const checkpointSchema = z.object({
  source: z.string(),
  queueUrl: z.string(),
  sha256: z.string(),
  lines: z.number().int().min(0),
  /** Every line up to this number (1-based, as in the file) was sent and acknowledged, or rejected. */
  acknowledgedThrough: z.number().int().min(0),
  imported: z.number().int().min(0),
  rejected: z.array(z.object({ line: z.number().int().min(1), reason: z.string() })),
  /** Lines repeating an earlier line of the file exactly: not sent. */
  duplicates: z.array(z.object({ line: z.number().int().min(1), of: z.number().int().min(1) })).default([]),
  /** Lines sent and acknowledged that SQS deduplicated (see SentLedger): not delivered, and not counted as imported. */
  deduplicated: z.array(z.object({ line: z.number().int().min(1), eventId: z.string() })).default([]),
  completed: z.boolean(),
  startedAt: z.string(),
  updatedAt: z.string(),
});
export type Checkpoint = z.infer<typeof checkpointSchema>;

/** A file's JSON, or undefined when it is not JSON (a damaged checkpoint says so when it is loaded). */
async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

export class CheckpointStore {
  constructor(readonly directory: string) {}

  /** The file a given content imported to a given queue keeps its progress in. */
  path(sha256: string, queueUrl: string): string {
    const key = createHash('sha256').update(`${sha256}\n${queueUrl}`).digest('hex').slice(0, 32);
    return join(this.directory, `${key}.json`);
  }

  /** The checkpoint of an earlier run of this import, or a fresh one. */
  async load(start: Pick<Checkpoint, 'source' | 'queueUrl' | 'sha256' | 'lines'>): Promise<Checkpoint> {
    const path = this.path(start.sha256, start.queueUrl);
    let text: string | undefined;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (text !== undefined) {
      const parsed = checkpointSchema.safeParse(JSON.parse(text));
      if (!parsed.success)
        throw new Error(`the checkpoint ${path} is damaged (${parsed.error.issues[0]?.message ?? 'invalid'}): remove it only if nothing of this file was imported, or its lines will be sent again`);
      return parsed.data;
    }
    const now = new Date().toISOString();
    return { ...start, acknowledgedThrough: 0, imported: 0, rejected: [], duplicates: [], deduplicated: [], completed: false, startedAt: now, updatedAt: now };
  }

  /** The newest checkpoint of the same source and queue with other content: the file changed since that run. */
  async otherVersion(of: Pick<Checkpoint, 'source' | 'queueUrl' | 'sha256'>): Promise<Checkpoint | undefined> {
    let names: string[];
    try {
      names = await readdir(this.directory);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    let newest: Checkpoint | undefined;
    for (const name of names.filter((n) => n.endsWith('.json'))) {
      const parsed = checkpointSchema.safeParse(await readJson(join(this.directory, name)));
      if (!parsed.success) continue;
      const other = parsed.data;
      if (other.source === of.source && other.queueUrl === of.queueUrl && other.sha256 !== of.sha256 && (!newest || other.updatedAt > newest.updatedAt)) newest = other;
    }
    return newest;
  }

  /** Replaces the checkpoint atomically: a crash mid-write leaves the previous one, never half of one. */
  async save(checkpoint: Checkpoint): Promise<void> {
    const path = this.path(checkpoint.sha256, checkpoint.queueUrl);
    await mkdir(this.directory, { recursive: true });
    const temporary = `${path}.${process.pid}.tmp`;
    await writeFile(temporary, `${JSON.stringify({ ...checkpoint, updatedAt: new Date().toISOString() }, null, 2)}\n`, { mode: 0o600 });
    await rename(temporary, path);
  }
}

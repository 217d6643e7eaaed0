import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';

/** Where an import reads from: a local JSONL file, or an S3 object (`s3://bucket/key`). */
export interface ImportSource {
  /** As the operator named it: `books/acme.jsonl`, `s3://migrations/acme.jsonl`. */
  label: string;
  /** A fresh stream of the whole content, from its first byte. */
  open(): Promise<Readable>;
}

export interface FeedLine {
  /** 1-based line number in the file, as an editor shows it. */
  line: number;
  text: string;
}

const S3_URI = /^s3:\/\/([^/]+)\/(.+)$/;

export const isS3Uri = (spec: string): boolean => spec.startsWith('s3://');

/** The source a command-line argument names; S3 objects are read with `s3` (the target's account). */
export function importSource(spec: string, s3: () => S3Client): ImportSource {
  if (!isS3Uri(spec)) return { label: spec, open: async () => createReadStream(spec) };
  const match = S3_URI.exec(spec);
  if (!match) throw new Error(`${spec} is not an S3 object URI: s3://bucket/key`);
  const [, bucket, key] = match as unknown as [string, string, string];
  return {
    label: spec,
    open: async () => {
      const { Body } = await s3().send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      if (Body === undefined) throw new Error(`${spec} has no content`);
      return Body as Readable;
    },
  };
}

/** The byte order mark some editors (Excel, Notepad) put before UTF-8 text: not part of line 1. */
const BOM = '\uFEFF';

/**
 * The non-blank lines of a stream, one at a time, so a file of millions of events never sits in
 * memory. CRLF files and a leading BOM work; blank lines separate nothing and are skipped (their
 * numbers still count).
 */
export async function* readLines(stream: Readable): AsyncGenerator<FeedLine> {
  let line = 0;
  for await (const raw of createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY })) {
    line += 1;
    const text = line === 1 && raw.startsWith(BOM) ? raw.slice(BOM.length) : raw;
    if (text.trim().length > 0) yield { line, text };
  }
}

export interface SourceScan {
  /** Non-blank lines: the progress bar's total. */
  lines: number;
  /** SHA-256 of the content: what a checkpoint belongs to, so an edited file never resumes from a stale one. */
  sha256: string;
}

const NEWLINE = 0x0a;
/** Bytes that leave a line blank (space, tab, CR); anything else makes it a line to count. */
const BLANK = new Set([0x20, 0x09, 0x0d]);

/** One pass over the content for its line count and digest (a second GetObject for S3 sources). */
export async function scanSource(source: ImportSource): Promise<SourceScan> {
  const hash = createHash('sha256');
  let lines = 0;
  let blank = true;
  for await (const chunk of await source.open()) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    hash.update(bytes);
    for (const byte of bytes) {
      if (byte === NEWLINE) {
        if (!blank) lines += 1;
        blank = true;
      } else if (!BLANK.has(byte)) blank = false;
    }
  }
  if (!blank) lines += 1;
  return { lines, sha256: hash.digest('hex') };
}

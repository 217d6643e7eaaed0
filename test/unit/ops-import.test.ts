import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CheckpointStore } from '../../ops/import/checkpoint.js';
import { importSource, readLines, scanSource } from '../../ops/import/source.js';
import { checkLine } from '../../ops/import/validate.js';
import { accountOpened, customerCreated, kitStatus } from '../support/events.js';

const tenants = new Set(['ACME_BANK']);
const noS3 = () => {
  throw new Error('no S3 here');
};

describe('ops import: checking lines with the event contracts', () => {
  it('accepts customer.created and account.opened, grouped by tenant:entityId, deduplicated by event id', () => {
    const event = accountOpened('C42');
    const body = JSON.stringify(event);
    expect(checkLine(body, tenants)).toEqual({ ok: true, body, eventId: event.id, groupId: 'ACME_BANK:C42' });
    expect(checkLine(JSON.stringify(customerCreated('C43')), tenants)).toMatchObject({ ok: true, groupId: 'ACME_BANK:C43' });
  });

  it('rejects, with a reason and never a value, what the worker would dead-letter', () => {
    const reasonOf = (text: string) => {
      const checked = checkLine(text, tenants);
      return checked.ok ? 'accepted' : checked.reason;
    };
    expect(reasonOf('{"specversion": "1.0", ')).toBe('BAD_JSON: body is not valid JSON');
    expect(reasonOf(JSON.stringify(kitStatus('K1', 'DELIVERED', '2026-11-20T10:00:00Z')))).toMatch(/^UNEXPECTED_TYPE: event type courier\.kit\.status\.v1 is not handled here/);
    expect(reasonOf(JSON.stringify(customerCreated('C1', {}, 'NOBODY_BANK')))).toBe('UNKNOWN_TENANT: tenant NOBODY_BANK is not configured');
    const invalid = reasonOf(JSON.stringify(customerCreated('C1', { dob: 'secret-not-a-date' })));
    expect(invalid).toMatch(/^SCHEMA: data\.dob: /);
    expect(invalid).not.toContain('secret-not-a-date');
    expect(reasonOf(JSON.stringify({ ...accountOpened('C1'), id: 'has spaces in it' }))).toMatch(/^SCHEMA: id: /);
  });
});

describe('ops import: reading the source', () => {
  it('numbers lines as the file does, skipping blank ones, and scans the same count and a digest of the content', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'import-'));
    const path = join(dir, 'book.jsonl');
    await writeFile(path, 'a\r\n\n  \nb\nc');
    const source = importSource(path, noS3);
    const lines = [];
    for await (const line of readLines(await source.open())) lines.push(line);
    expect(lines).toEqual([
      { line: 1, text: 'a' },
      { line: 4, text: 'b' },
      { line: 5, text: 'c' },
    ]);
    const scan = await scanSource(source);
    expect(scan.lines).toBe(3);
    await writeFile(path, 'a\r\n\n  \nb\nd');
    expect((await scanSource(source)).sha256).not.toBe(scan.sha256);
  });

  it('refuses an S3 URI without a key', () => {
    expect(() => importSource('s3://bucket-only', noS3)).toThrow(/s3:\/\/bucket\/key/);
  });
});

describe('ops import: checkpoints', () => {
  const start = { source: 'book.jsonl', queueUrl: 'http://sqs/bulk.fifo', sha256: 'abc', lines: 10 };

  it('starts fresh, then resumes from what was saved, per content and per queue', async () => {
    const store = new CheckpointStore(await mkdtemp(join(tmpdir(), 'import-')));
    const fresh = await store.load(start);
    expect(fresh).toMatchObject({ acknowledgedThrough: 0, imported: 0, rejected: [], completed: false });
    await store.save({ ...fresh, acknowledgedThrough: 7, imported: 6, rejected: [{ line: 3, reason: 'BAD_JSON: body is not valid JSON' }] });
    expect(await store.load(start)).toMatchObject({ acknowledgedThrough: 7, imported: 6, rejected: [{ line: 3 }] });
    // Another content (an edited file) or another stage's queue: nothing to resume.
    expect((await store.load({ ...start, sha256: 'def' })).acknowledgedThrough).toBe(0);
    expect((await store.load({ ...start, queueUrl: 'http://sqs/other.fifo' })).acknowledgedThrough).toBe(0);
  });

  it('refuses a damaged checkpoint rather than sending everything again', async () => {
    const store = new CheckpointStore(await mkdtemp(join(tmpdir(), 'import-')));
    await store.save(await store.load(start));
    const path = store.path(start.sha256, start.queueUrl);
    const saved = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
    await writeFile(path, JSON.stringify({ ...saved, acknowledgedThrough: 'seven' }));
    await expect(store.load(start)).rejects.toThrow(/damaged/);
  });
});

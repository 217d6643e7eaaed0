import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReceiveMessageCommand, DeleteMessageBatchCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runImport } from '../../ops/import/command.js';
import { masked } from '../../ops/disclosure.js';
import { resolveTarget } from '../../ops/target.js';
import { queueDepth } from '../../ops/import/backlog.js';
import { CheckpointStore } from '../../ops/import/checkpoint.js';
import { importEvents, type ImportOptions } from '../../ops/import/run.js';
import { importSource, scanSource } from '../../ops/import/source.js';
import { renderSummary, summarize } from '../../ops/import/summary.js';
import { accountOpened, customerCreated } from '../support/events.js';
import { localAws, type LocalAws } from '../support/local-aws.js';

/** Every message entry the client sent, by deduplication id: what "sent twice" would show. */
function countSends(aws: LocalAws): Map<string, number> {
  const sent = new Map<string, number>();
  aws.sqs.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'SendMessageBatchCommand') {
        for (const entry of (args.input as { Entries: Array<{ MessageDeduplicationId: string }> }).Entries) sent.set(entry.MessageDeduplicationId, (sent.get(entry.MessageDeduplicationId) ?? 0) + 1);
      }
      return next(args);
    },
    { step: 'initialize', name: 'importSendCounter' },
  );
  return sent;
}

async function drain(aws: LocalAws, queueUrl: string): Promise<Array<{ body: string; group: string }>> {
  const received: Array<{ body: string; group: string }> = [];
  for (;;) {
    const { Messages = [] } = await aws.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, MessageSystemAttributeNames: ['MessageGroupId'] }));
    if (Messages.length === 0) return received;
    for (const m of Messages) received.push({ body: m.Body!, group: m.Attributes!.MessageGroupId! });
    await aws.sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
  }
}

let aws: LocalAws;
beforeAll(async () => {
  aws = await localAws();
});
afterAll(() => aws.sqs.destroy());

/** A local file to import; the S3 reader fails, as nothing here is in S3. */
const localSource = (path: string) =>
  importSource(path, () => {
    throw new Error('no S3 here');
  });

describe('ops import into the bulk queue (fauxqs)', () => {
  it('stops on request after a checkpointed batch and resumes without sending any line twice', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'import-'));
    const path = join(dir, 'book.jsonl');
    const events = Array.from({ length: 30 }, (_, i) => [customerCreated(`M${i}`), accountOpened(`M${i}`)]).flat();
    const lines = events.map((event) => JSON.stringify(event));
    // Line 5: not JSON; line 12: of another tenant; line 40: a blank line; line 47: invalid.
    lines.splice(4, 0, '{not json');
    lines.splice(11, 0, JSON.stringify(customerCreated('X1', {}, 'NOBODY_BANK')));
    lines.splice(39, 0, '');
    lines.splice(46, 0, JSON.stringify({ ...accountOpened('M99'), data: { entityId: 'M99' } }));
    await writeFile(path, `${lines.join('\n')}\n`);

    const sent = countSends(aws);
    const queueUrl = aws.resources.queues.coreBankingBulk.url;
    const source = localSource(path);
    const scan = await scanSource(source);
    expect(scan.lines).toBe(63);
    const store = new CheckpointStore(join(dir, 'state'));
    const controller = new AbortController();
    const options: ImportOptions = { source, sqs: aws.sqs, queueUrl, tenants: new Set(['ACME_BANK']), store, scan, rate: 1_000 };

    const first = await importEvents({ ...options, signal: controller.signal, onProgress: (done) => done >= 20 && controller.abort() });
    expect(first.stopped).toBe(true);
    expect(first.checkpoint.acknowledgedThrough).toBeGreaterThanOrEqual(20);
    expect(first.checkpoint.acknowledgedThrough).toBeLessThan(lines.length);
    expect(first.sentNow).toBe(first.checkpoint.imported);

    const second = await importEvents(options);
    expect(second).toMatchObject({ stopped: false, resumedAfter: first.checkpoint.acknowledgedThrough, sentNow: 60 - first.sentNow });
    expect(second.checkpoint).toMatchObject({ completed: true, imported: 60, acknowledgedThrough: 64 });
    expect(second.checkpoint.rejected.map((r) => [r.line, r.reason.split(':')[0]])).toEqual([
      [5, 'BAD_JSON'],
      [12, 'UNKNOWN_TENANT'],
      [47, 'SCHEMA'],
    ]);

    // Each valid event sent exactly once over both runs; none of the rejected lines sent at all.
    expect(sent.size).toBe(60);
    expect([...sent.values()].every((times) => times === 1)).toBe(true);
    expect(new Set(sent.keys())).toEqual(new Set(events.map((event) => event.id)));

    // A third run of a finished import sends nothing.
    expect((await importEvents(options)).sentNow).toBe(0);
    expect(sent.size).toBe(60);

    expect(await queueDepth(aws.sqs, queueUrl)).toBe(60);
    const received = await drain(aws, queueUrl);
    expect(received).toHaveLength(60);
    expect(received.filter((m) => m.group === 'ACME_BANK:M7').map((m) => (JSON.parse(m.body) as { type: string }).type)).toEqual(['bank.customer.created.v1', 'bank.account.opened.v1']);
  });
});

describe('ops import pacing', () => {
  it('holds to the rate it is given', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'import-'));
    const path = join(dir, 'paced.jsonl');
    await writeFile(path, Array.from({ length: 20 }, (_, i) => JSON.stringify(customerCreated(`P${i}`))).join('\n'));
    const source = localSource(path);
    const started = performance.now();
    const result = await importEvents({
      source,
      sqs: aws.sqs,
      queueUrl: aws.resources.queues.coreBankingBulk.url,
      tenants: new Set(['ACME_BANK']),
      store: new CheckpointStore(join(dir, 'state')),
      scan: await scanSource(source),
      rate: 20,
    });
    expect(result.checkpoint.imported).toBe(20);
    // 20 messages at 20/s: the last batch leaves no earlier than one second after the start.
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
  });
});

describe('ops import as the ops command', () => {
  it('as the ops command: summary of imported, rejected and dead-lettered, failing when a line was rejected', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'import-'));
    const path = join(dir, 'command.jsonl');
    await writeFile(path, [JSON.stringify(customerCreated('Q1')), 'not json', JSON.stringify(accountOpened('Q1'))].join('\n'));
    const resolved = await resolveTarget({ stackFile: join(dir, 'none.json'), endpointSqs: inject('sqsEndpoint'), endpointDynamodb: inject('dynamoEndpoint'), prefix: aws.prefix, max: 10 });
    // The tenants document lives in SSM in AWS; here it is the suite's one tenant.
    const target = { ...resolved, tenants: async () => ['ACME_BANK'] };
    try {
      const { data, text, failed } = await runImport(target, { json: true, view: masked }, path, { rate: 1_000, stateDir: join(dir, 'state') });
      expect(failed).toBe(true);
      expect(data).toMatchObject({ lines: 3, imported: 2, rejected: 1, rejections: [{ line: 2, reason: 'BAD_JSON: body is not valid JSON' }], completed: true, deadLetters: { new: 0 } });
      expect(data.queue).toBe('core-banking-bulk');
      expect(text).toContain('line 2: BAD_JSON');
      const again = await runImport(target, { json: true, view: masked }, path, { rate: 1_000, stateDir: join(dir, 'state') });
      expect(again.data).toMatchObject({ imported: 2, sentThisRun: 0, resumedAfterLine: 3 });
    } finally {
      target.sqs.destroy();
      target.dynamo.destroy();
    }
  });
});

describe('ops import: nothing silently dropped', () => {
  /** Imports `lines` as a file named `name` in `dir`, with the checkpoints and sent ledger of `dir/state`. */
  async function importLines(dir: string, name: string, lines: string[], prefix = '') {
    const path = join(dir, name);
    await writeFile(path, `${prefix}${lines.join('\n')}\n`);
    const source = localSource(path);
    const queueUrl = aws.resources.queues.coreBankingBulk.url;
    const result = await importEvents({ source, sqs: aws.sqs, queueUrl, tenants: new Set(['ACME_BANK']), store: new CheckpointStore(join(dir, 'state')), scan: await scanSource(source), rate: 1_000 });
    const summary = summarize(result, { source: path, target: 'fauxqs', queue: 'core-banking-bulk', stillQueued: 0, dlqBefore: 0, dlqAfter: 0 }, masked);
    return { result, summary, text: renderSummary(summary) };
  }

  it('rejects lines sharing an event id with different content, naming each other, and counts exact repeats as duplicates', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'import-'));
    const priya = customerCreated('D1', { firstName: 'Priya' });
    const anil = { ...customerCreated('D2', { firstName: 'Anil' }), id: priya.id };
    const account = accountOpened('D3');
    const lines = [JSON.stringify(priya), JSON.stringify(account), JSON.stringify(anil), JSON.stringify(account), JSON.stringify(customerCreated('D4'))];
    aws.sqs.middlewareStack.remove('importSendCounter');
    const sent = countSends(aws);
    const { summary, text } = await importLines(dir, 'dupes.jsonl', lines);
    expect(summary).toMatchObject({ lines: 5, imported: 2, rejected: 2, duplicates: 1, duplicateLines: [{ line: 4, of: 2 }], deduplicatedBySqs: 0 });
    expect(summary.rejections).toEqual([
      { line: 1, reason: 'DUPLICATE_ID: the event id is also on line 3 with different content; none of them is sent' },
      { line: 3, reason: 'DUPLICATE_ID: the event id is also on line 1 with different content; none of them is sent' },
    ]);
    expect(sent.get(priya.id)).toBeUndefined();
    expect(sent.get(account.id)).toBe(1);
    expect(text).toContain('line 4 repeats line 2');
  });

  it('counts what SQS deduplicated against an earlier run, and rejects an id an earlier run imported with other content', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'import-'));
    const first = [customerCreated('S1'), customerCreated('S2')];
    expect(
      (
        await importLines(
          dir,
          'monday.jsonl',
          first.map((e) => JSON.stringify(e)),
        )
      ).summary,
    ).toMatchObject({ imported: 2, deduplicatedBySqs: 0 });
    // Another file, minutes later: S1 again as it was, S2's id reused for someone else, and a new one.
    const again = [JSON.stringify(first[0]), JSON.stringify({ ...customerCreated('S9'), id: first[1]!.id }), JSON.stringify(customerCreated('S3'))];
    const { summary, text } = await importLines(dir, 'tuesday.jsonl', again);
    expect(summary).toMatchObject({ lines: 3, imported: 1, rejected: 1, deduplicatedBySqs: 1, deduplicatedLines: [{ line: 1, eventId: first[0]!.id }] });
    expect(summary.rejections[0]).toEqual({ line: 2, reason: `DUPLICATE_ID: the event id was imported to this queue before with different content (${join(dir, 'monday.jsonl')} line 2); not sent` });
    expect(text).toContain('deduplicated by SQS 1');
  });

  it('accepts a UTF-8 byte order mark before line 1', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'import-'));
    const { summary } = await importLines(dir, 'bom.jsonl', [JSON.stringify(customerCreated('B1')), JSON.stringify(accountOpened('B1'))], '\uFEFF');
    expect(summary).toMatchObject({ lines: 2, imported: 2, rejected: 0 });
  });

  it('names a file changed since an earlier run instead of silently starting again from line 1', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'import-'));
    const lines = [JSON.stringify(customerCreated('F1')), JSON.stringify(customerCreated('F2'))];
    expect((await importLines(dir, 'book.jsonl', lines)).summary.changedSince).toBeUndefined();
    const { summary, text } = await importLines(dir, 'book.jsonl', [...lines, JSON.stringify(customerCreated('F3'))]);
    expect(summary.changedSince).toMatchObject({ lines: 2, acknowledgedThrough: 2, completed: true });
    expect(text).toContain(`CHANGED: ${join(dir, 'book.jsonl')} is not the file an earlier run imported to this queue (completed`);
    expect(text).toContain('this run started from line 1');
    // Its unchanged lines were sent moments ago: SQS drops them, and the summary says so.
    expect(summary).toMatchObject({ imported: 1, deduplicatedBySqs: 2 });
  });
});

import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { inspectionReader } from '../ops/dlq-messages.js';
import type { LocalStack } from './boot.js';
import { dlqSightings } from './dlq-sightings.js';
import type { Processing } from './processing.js';
import { buildSummary, type RunSummary } from './summary.js';

/**
 * Closes the books of a run: the DLQs' contents (read without consuming them), the functions'
 * DynamoDB counts, the partner calls, against what was fed.
 */
export async function summarizeRun(stack: LocalStack, processing: Processing, times: { startedAt: Date; bootedAt: Date }): Promise<RunSummary> {
  const status = await stack.host.status();
  const queues = stack.host.workers.map((w) => w.queue);
  const sightings = await dlqSightings(inspectionReader(stack.endpoints.sqs), stack.resources, queues);
  return buildSummary({
    accounting: stack.accounting.settle(sightings),
    ...times,
    firstSentAt: processing.firstSentAt ?? times.bootedAt,
    drainedAt: processing.drainedAt ?? new Date(),
    dcmsUrl: stack.dcms.url,
    dcmsCalls: stack.dcmsCalls.snapshot(),
    ...(stack.dcms.sandbox && { sandbox: stack.dcms.sandbox.stats() }),
    card91Url: stack.card91.url,
    card91Calls: stack.card91Calls.snapshot(),
    ...(stack.card91.sandbox && { card91Sandbox: stack.card91.sandbox.stats() }),
    dynamo: status.dynamo,
    logFile: stack.logFile,
  });
}

export async function writeReport(path: string, summary: RunSummary): Promise<void> {
  await mkdir(dirname(resolve(path)), { recursive: true });
  await writeFile(path, `${JSON.stringify(summary, null, 2)}\n`);
}

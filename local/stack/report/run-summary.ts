import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RunningDcmsSandbox } from '../../../sandbox/dcms/server.js';
import { inspectionReader } from '../../../shared/tooling/dlq-messages.js';
import type { LocalStack } from '../boot/boot.js';
import { dlqSightings } from './dlq-sightings.js';
import type { Processing } from '../feed/processing.js';
import { buildSummary, type RunSummary } from './summary.js';
import { verifyPlatform } from './verification.js';

/** Longer than the sandbox's longest injected delay (latency or slow commit, 120 s at most). */
const SANDBOX_SETTLE_LIMIT_MS = 125_000;

/**
 * Waits until no DCMS call is pending in the sandbox: a slow commit can still issue a card or set
 * a status after the queues drained, and the check must see it.
 */
async function sandboxSettled(sandbox: RunningDcmsSandbox): Promise<void> {
  const until = Date.now() + SANDBOX_SETTLE_LIMIT_MS;
  while (sandbox.stats().pendingCalls > 0 && Date.now() < until) await sleep(100);
}

/**
 * Closes the books of a run: the DLQs' contents (read without consuming them), the functions'
 * DynamoDB counts, the partner calls, against what was fed; and, with the local DCMS sandbox,
 * DCMS's own state against what the run should have left there.
 */
export async function summarizeRun(stack: LocalStack, processing: Processing, times: { startedAt: Date; bootedAt: Date }): Promise<RunSummary> {
  const status = await stack.host.status();
  const queues = stack.host.workers.map((w) => w.queue);
  const sightings = await dlqSightings(inspectionReader(stack.endpoints.sqs), stack.resources, queues);
  const accounting = stack.accounting.settle(sightings);
  const sandbox = stack.dcms.sandbox;
  if (sandbox) await sandboxSettled(sandbox);
  const sandboxStats = sandbox?.stats();
  return buildSummary({
    accounting,
    ...times,
    firstSentAt: processing.firstSentAt ?? times.bootedAt,
    drainedAt: processing.drainedAt ?? new Date(),
    dcmsUrl: stack.dcms.url,
    dcmsCalls: stack.dcmsCalls.snapshot(),
    ...(sandbox && sandboxStats && { sandbox: sandboxStats, sandboxHoldings: sandbox.holdings() }),
    card91Url: stack.card91.url,
    card91Calls: stack.card91Calls.snapshot(),
    ...(stack.card91.sandbox && { card91Sandbox: stack.card91.sandbox.stats() }),
    dynamo: status.dynamo,
    ...(sandbox &&
      sandboxStats && {
        verification: verifyPlatform({
          newestScans: stack.courierScans.newestScans(),
          deadLettered: accounting.deadLettered,
          kits: sandbox.kits(),
          duplicateCards: sandboxStats.duplicateCards,
          cardsIssuedTwice: sandbox.cardsIssuedTwice(),
        }),
      }),
    logFile: stack.logFile,
  });
}

export async function writeReport(path: string, summary: RunSummary): Promise<void> {
  await mkdir(dirname(resolve(path)), { recursive: true });
  await writeFile(path, `${JSON.stringify(summary, null, 2)}\n`);
}

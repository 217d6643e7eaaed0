import type { BatchResultErrorEntry, SendMessageBatchCommandInput, SendMessageBatchCommandOutput, SendMessageBatchRequestEntry } from '@aws-sdk/client-sqs';
import type { CourierKitStatusEvent } from '../../shared/contracts/index.js';
import { FailureCategory, IntegrationError } from '../../shared/resilience/errors.js';
import { withRetry, type RetryOptions } from '../../shared/resilience/retry.js';

/** One SendMessageBatch call; a port so tests can make entries fail. */
export type SendBatch = (input: SendMessageBatchCommandInput) => Promise<SendMessageBatchCommandOutput>;

/** SQS takes at most ten entries per SendMessageBatch. */
const SQS_BATCH_LIMIT = 10;

export interface EnqueueOptions {
  queueUrl: string;
  sendBatch: SendBatch;
  retry: Omit<RetryOptions, 'deadline' | 'onRetry'>;
  /** SendMessageBatch calls in flight at once for one request. */
  concurrency: number;
}

export interface EnqueueCall {
  /** Epoch ms after which no new attempt starts (the function's deadline, less a margin). */
  deadline: number;
  onRetry?: (info: { attempt: number; failedEntries: number; delayMs: number }) => void;
}

function batchFailure(failed: readonly BatchResultErrorEntry[]): IntegrationError {
  // SenderFault: SQS refused the entry itself (our bug), so sending it again cannot help.
  const permanent = failed.some((entry) => entry.SenderFault);
  const codes = [...new Set(failed.map((entry) => entry.Code ?? 'unknown'))].join(', ');
  return new IntegrationError({
    category: permanent ? FailureCategory.Permanent : FailureCategory.Transient,
    code: 'SQS_BATCH_ENTRIES_FAILED',
    message: `${failed.length} of the batch's entries were not queued (${codes})`,
  });
}

/**
 * Queues the events, ten per SendMessageBatch. A batch call can succeed while some entries fail:
 * only those are sent again, with the shared backoff (full jitter) within the deadline. Anything
 * still unqueued at the end makes this throw, so the request fails and the courier retries; the
 * entries that did go through are then queued twice, which is harmless: event ids are
 * deterministic and the courier worker is idempotent on the delivery's business key.
 * A call that throws (network, throttling) was already retried by the SDK's own strategy.
 */
export async function enqueueEvents(events: readonly CourierKitStatusEvent[], options: EnqueueOptions, call: EnqueueCall): Promise<void> {
  const entries: SendMessageBatchRequestEntry[] = events.map((event, index) => ({ Id: String(index), MessageBody: JSON.stringify(event) }));
  const queue: SendMessageBatchRequestEntry[][] = [];
  for (let i = 0; i < entries.length; i += SQS_BATCH_LIMIT) queue.push(entries.slice(i, i + SQS_BATCH_LIMIT));

  const sendChunk = async (chunk: SendMessageBatchRequestEntry[]): Promise<void> => {
    let pending = chunk;
    await withRetry(
      async () => {
        const output = await options.sendBatch({ QueueUrl: options.queueUrl, Entries: pending });
        const failed = output.Failed ?? [];
        if (failed.length === 0) return;
        const failedIds = new Set(failed.map((entry) => entry.Id));
        pending = pending.filter((entry) => failedIds.has(entry.Id));
        throw batchFailure(failed);
      },
      {
        ...options.retry,
        deadline: call.deadline,
        onRetry: ({ attempt, delayMs }) => call.onRetry?.({ attempt, failedEntries: pending.length, delayMs }),
      },
    );
  };

  // A few calls in flight at once: fast for a large batch without a burst of 50 parallel calls.
  // After a failure no new chunk starts: the request fails whatever happens to the rest.
  let failure: unknown;
  const workers = Array.from({ length: Math.min(options.concurrency, queue.length) }, async () => {
    for (let chunk = queue.shift(); chunk && failure === undefined; chunk = queue.shift()) {
      try {
        await sendChunk(chunk);
      } catch (error) {
        failure ??= error;
      }
    }
  });
  await Promise.all(workers);
  if (failure !== undefined) throw failure;
}

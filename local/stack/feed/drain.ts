import { setTimeout as sleep } from 'node:timers/promises';
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { QueueKey } from '../../../shared/config/resources.js';

export interface QueueDepth {
  /** Waiting to be received. */
  visible: number;
  /** Received and not yet deleted: in an invocation, or waiting out a retry's visibility timeout. */
  inFlight: number;
  delayed: number;
}

const isEmpty = (depth: QueueDepth): boolean => depth.visible + depth.inFlight + depth.delayed === 0;

async function queueDepth(sqs: SQSClient, queueUrl: string): Promise<QueueDepth> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
    }),
  );
  return {
    visible: Number(Attributes.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
    delayed: Number(Attributes.ApproximateNumberOfMessagesDelayed ?? 0),
  };
}

export interface DrainProbe {
  sqs: SQSClient;
  /** The queues some worker consumes. */
  queueUrls: ReadonlyArray<[QueueKey, string]>;
  /** Queues whose poller holds unsettled records right now. */
  busy: () => Promise<readonly QueueKey[]>;
}

export interface DrainOptions {
  /** Called on every probe, for the progress display. */
  onProbe?: (depths: ReadonlyMap<QueueKey, QueueDepth>) => void;
  timeoutMs?: number;
  /**
   * Epoch ms until which records still wait within their retry budget (undefined: none waits). The
   * timeout never ends a drain before it: those records are not stuck, they are owed their budget.
   */
  waitingUntil?: () => number | undefined;
  signal?: AbortSignal;
}

const PROBE_INTERVAL_MS = 200;
/** Idle this long before calling it drained: a retry's record can be between its visibility change and its next receive. */
const QUIET_MS = 600;
/** After the last budget runs out, time for that record's next receive to dead-letter it (a local wait is 2 s at most). */
export const BUDGET_GRACE_MS = 30_000;

/**
 * Resolves once every consumed queue is empty (nothing waiting, in flight or delayed, retries
 * included) and no poller holds a record, continuously for a short quiet period. Gives up after
 * `timeoutMs`, but never while a record still waits within its retry budget.
 */
export async function waitUntilDrained(probe: DrainProbe, options: DrainOptions = {}): Promise<void> {
  const until = options.timeoutMs === undefined ? Number.POSITIVE_INFINITY : Date.now() + options.timeoutMs;
  let quietSince: number | undefined;
  for (;;) {
    options.signal?.throwIfAborted();
    const depths = new Map(await Promise.all(probe.queueUrls.map(async ([queue, url]) => [queue, await queueDepth(probe.sqs, url)] as const)));
    options.onProbe?.(depths);
    const idle = [...depths.values()].every(isEmpty) && (await probe.busy()).length === 0;
    quietSince = idle ? (quietSince ?? Date.now()) : undefined;
    if (quietSince !== undefined && Date.now() - quietSince >= QUIET_MS) return;
    const owed = options.waitingUntil?.();
    // Idle past the timeout: let the quiet period finish rather than fail a run that is done.
    if (!idle && Date.now() > until && (owed === undefined || Date.now() > owed + BUDGET_GRACE_MS)) {
      const left = [...depths].map(([queue, d]) => `${queue}: ${d.visible} queued, ${d.inFlight} in flight, ${d.delayed} delayed`).join('; ');
      throw new Error(`the queues did not drain within ${Math.round((options.timeoutMs ?? 0) / 1_000)} s (${left})`);
    }
    // Aborted mid-sleep, the timer throws a bare AbortError: rethrow the reason the caller gave.
    await sleep(PROBE_INTERVAL_MS, undefined, options.signal ? { signal: options.signal } : undefined).catch((error: unknown) => {
      throw options.signal?.aborted ? options.signal.reason : error;
    });
  }
}

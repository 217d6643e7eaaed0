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
  signal?: AbortSignal;
}

const PROBE_INTERVAL_MS = 200;
/** Idle this long before calling it drained: a retry's record can be between its visibility change and its next receive. */
const QUIET_MS = 600;

/**
 * Resolves once every consumed queue is empty (nothing waiting, in flight or delayed, retries
 * included) and no poller holds a record, continuously for a short quiet period.
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
    if (Date.now() > until) {
      const left = [...depths].map(([queue, d]) => `${queue}: ${d.visible} waiting, ${d.inFlight} in flight, ${d.delayed} delayed`).join('; ');
      throw new Error(`the queues did not drain within ${Math.round((options.timeoutMs ?? 0) / 1_000)} s (${left})`);
    }
    // Aborted mid-sleep, the timer throws a bare AbortError: rethrow the reason the caller gave.
    await sleep(PROBE_INTERVAL_MS, undefined, options.signal ? { signal: options.signal } : undefined).catch((error: unknown) => {
      throw options.signal?.aborted ? options.signal.reason : error;
    });
  }
}

/**
 * How the smoke test decides, apart from any AWS call: when the workers are done with what it
 * sent, and whether anything was dead-lettered meanwhile.
 */

/** A queue's approximate depth: every message it holds, whatever its state. */
export interface QueueDepth {
  visible: number;
  inFlight: number;
  delayed: number;
}

export const total = (depth: QueueDepth): number => depth.visible + depth.inFlight + depth.delayed;

export interface DrainOptions {
  /** Reads the depth of every queue the test fed. */
  read: () => Promise<Record<string, QueueDepth>>;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /**
   * SQS's depth figures are approximate and trail a send by up to a minute: an empty reading right
   * after the send proves nothing. No verdict before this long after the send.
   */
  settleMs: number;
  /** Give up (the workers are stuck, or the platform is down) after this long. */
  timeoutMs: number;
  pollMs: number;
  /** Consecutive empty readings required. */
  quietReadings: number;
}

export type DrainResult = { drained: true; afterMs: number } | { drained: false; afterMs: number; last: Record<string, QueueDepth> };

/** Waits until every fed queue has been empty for `quietReadings` readings running, past the settle time. */
export async function waitForDrain(options: DrainOptions): Promise<DrainResult> {
  const started = options.now();
  let quiet = 0;
  for (;;) {
    const last = await options.read();
    const elapsed = options.now() - started;
    const empty = Object.values(last).every((depth) => total(depth) === 0);
    quiet = empty && elapsed >= options.settleMs ? quiet + 1 : 0;
    if (quiet >= options.quietReadings) return { drained: true, afterMs: elapsed };
    if (elapsed >= options.timeoutMs) return { drained: false, afterMs: elapsed, last };
    await options.sleep(options.pollMs);
  }
}

/** DLQs that hold more than before the test: each is a failure of the deployed stage (or of the test's own data). */
export function grownDeadLetterQueues(before: Record<string, QueueDepth>, after: Record<string, QueueDepth>): string[] {
  return Object.keys(after)
    .filter((queue) => total(after[queue]!) > total(before[queue] ?? { visible: 0, inFlight: 0, delayed: 0 }))
    .sort();
}

/** The webhook accepted the events: 202 (queued now) or 200 (a replay of a request it had already queued). */
export const courierAccepted = (status: number): boolean => status === 202 || status === 200;

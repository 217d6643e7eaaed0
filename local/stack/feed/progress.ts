import type { ListrTask } from 'listr2';
import type { QueueKey } from '../../../shared/config/resources.js';
import type { Accounting, QueueProgress, WaitingGroup } from '../report/accounting.js';
import type { QueueDepth } from './drain.js';

export interface ProgressView {
  workers: ReadonlyArray<{ queue: QueueKey; serviceName: string }>;
  accounting: Accounting;
  /** The latest queue depths (updated by the drain probe). */
  depths: () => ReadonlyMap<QueueKey, QueueDepth>;
  /** The latest poller error per queue, if any (a receive that failed, an invocation that threw). */
  pollerErrors: ReadonlyMap<QueueKey, string>;
  /** A terminal: titles redraw in place. Otherwise (CI, a pipe) a plain line is printed now and then. */
  interactive: boolean;
}

/** Redraw rate on a terminal; line rate elsewhere (only when something changed). */
const TTY_REFRESH_MS = 250;
const PLAIN_REFRESH_MS = 2_000;

const clock = (epochMs: number): string => new Date(epochMs).toTimeString().slice(0, 8);

/** `2 waiting on DependencyNotReady CUS001: next attempt in 2 s, the last gives up at 10:32:05`. */
export function describeWaiting(group: WaitingGroup, now = Date.now()): string {
  const inSeconds = Math.max(0, Math.ceil((group.nextAttemptAt - now) / 1_000));
  const reason = [group.category, group.code].filter(Boolean).join(' ');
  return `${group.records} waiting on ${reason}: next attempt in ${inSeconds} s, ${group.records > 1 ? 'the last gives up' : 'gives up'} at ${clock(group.givesUpAt)}`;
}

function describe(serviceName: string, progress: QueueProgress | undefined, depth: QueueDepth | undefined, waiting: readonly WaitingGroup[], error: string | undefined): string {
  const p = progress ?? { fed: 0, settled: 0, deadLettered: 0, retries: 0 };
  const parts = [`${p.settled}/${p.fed} settled`, `${p.deadLettered} dead-lettered`, `${p.retries} retries`];
  if (depth) parts.push(`${depth.visible} queued`, `${depth.inFlight} in flight`);
  parts.push(...waiting.map((group) => describeWaiting(group)));
  return `${serviceName}: ${parts.join(' · ')}${error ? ` · last error: ${error}` : ''}`;
}

/**
 * One subtask per worker that shows its queue's progress until `done` settles (and fails with it).
 * On a terminal the subtask titles update in place; elsewhere each prints a line every couple of
 * seconds when its counts moved, so CI logs show progress without a line per tick.
 */
export function queueProgressTasks(view: ProgressView, done: Promise<unknown>): ListrTask[] {
  return view.workers.map(({ queue, serviceName }) => ({
    title: serviceName,
    task: async (_context, task) => {
      let last = '';
      const render = () => {
        const waiting = view.accounting.waiting().filter((group) => group.queue === queue);
        const line = describe(serviceName, view.accounting.progress()[queue], view.depths().get(queue), waiting, view.pollerErrors.get(queue));
        if (line === last) return;
        last = line;
        if (view.interactive) task.title = line;
        else task.output = line;
      };
      render();
      const timer = setInterval(render, view.interactive ? TTY_REFRESH_MS : PLAIN_REFRESH_MS);
      try {
        await done;
      } finally {
        clearInterval(timer);
        render();
        task.title = last;
      }
    },
  }));
}

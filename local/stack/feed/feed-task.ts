import type { ListrTask } from 'listr2';
import type { FaultSettings } from '../../../sandbox/dcms/server.js';
import { demoTasks, type DemoSettings, type DemoState } from '../../demo/demo-tasks.js';
import { describeFaults } from '../../demo/faults.js';
import type { LocalStack } from '../boot/boot.js';
import { Feeder } from './feeder.js';
import type { FeedLine } from '../../../shared/tooling/jsonl.js';
import { Processing } from './processing.js';

export interface FeedSettings {
  /** The `--feed` file and its lines; the demo when undefined. */
  feed: { file: string; lines: FeedLine[] } | undefined;
  demo: DemoSettings;
  /** `--dcms-faults` while the file is fed (the demo's own are in `demo`). */
  dcmsFaults: FaultSettings | undefined;
  interactive: boolean;
  /** Aborted on a stop request or a crash: processing stops waiting. */
  signal: AbortSignal;
  drainTimeoutMs: number;
}

/** What feeding leaves behind for the summary and the hints after it. */
export interface FeedResults extends DemoState {
  processing?: Processing;
}

/** The task after booting: feed the demo or the file, and follow the queues until they drain. */
export function feedTask(stack: LocalStack, settings: FeedSettings, results: FeedResults): ListrTask {
  return {
    title: settings.feed ? `Feed ${settings.feed.file}` : 'Demo',
    task: (_context, task) => {
      const feeder = new Feeder(stack.sqs, stack.resources, new Set(stack.host.workers.map((w) => w.queue)), stack.accounting, stack.courierScans);
      const processing = new Processing(stack, feeder, { interactive: settings.interactive, signal: settings.signal, drainTimeoutMs: settings.drainTimeoutMs });
      results.processing = processing;
      return task.newListr(settings.feed ? fileTasks(stack, processing, settings.feed, settings.dcmsFaults) : demoTasks(stack, processing, settings.demo, results));
    },
  };
}

/** The file's lines, under `--dcms-faults` (local DCMS sandbox only) which are off again afterwards. */
function fileTasks(stack: LocalStack, processing: Processing, feed: NonNullable<FeedSettings['feed']>, dcmsFaults: FaultSettings | undefined): ListrTask[] {
  const sandbox = stack.dcms.sandbox;
  const faults = sandbox && dcmsFaults;
  return [
    processing.task(`Feeding ${feed.file}${faults ? ` (DCMS faults: ${describeFaults(faults)})` : ''}`, async () => {
      if (faults) sandbox.setFaults(faults);
      return { lines: feed.lines.map((l) => l.text), lineNumbers: feed.lines.map((l) => l.line) };
    }),
    { title: 'Feed done: DCMS faults off', enabled: () => faults !== undefined, task: async () => sandbox?.setFaults({}) },
  ];
}

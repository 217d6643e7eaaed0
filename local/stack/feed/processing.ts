import type { ListrTask } from 'listr2';
import type { QueueKey } from '../../../shared/config/resources.js';
import type { LocalStack } from '../boot/boot.js';
import { waitUntilDrained, type QueueDepth } from './drain.js';
import type { Feeder } from './feeder.js';
import { queueProgressTasks } from './progress.js';

export interface FeedInput {
  lines: string[];
  /** File line numbers of `lines`, for a feed file. */
  lineNumbers?: number[];
}

export interface ProcessingOptions {
  interactive: boolean;
  signal: AbortSignal;
  /** Give up on a drain after this long. */
  drainTimeoutMs?: number;
}

/**
 * Feeding and draining, as progress tasks: each task sends its lines and then shows every
 * worker's queue until all are drained. Keeps the run's clock: first send to last drain.
 */
export class Processing {
  firstSentAt: Date | undefined;
  drainedAt: Date | undefined;
  private depths: ReadonlyMap<QueueKey, QueueDepth> = new Map();

  constructor(
    private readonly stack: LocalStack,
    private readonly feeder: Feeder,
    private readonly options: ProcessingOptions,
  ) {}

  task(title: string, produce: () => Promise<FeedInput>): ListrTask {
    return {
      title,
      task: async (_context, task) => {
        const input = await produce();
        task.title = `${title}: ${input.lines.length} events`;
        this.firstSentAt ??= new Date();
        const { rerouted } = await this.feeder.feed(input.lines, input.lineNumbers);
        if (rerouted.length > 0) {
          task.output = `no worker runs here for ${rerouted.join(', ')}: sent to the core-banking queue, which dead-letters it (UNEXPECTED_TYPE)`;
        }
        const drained = this.drain();
        return task.newListr(
          queueProgressTasks(
            {
              workers: this.stack.host.workers,
              accounting: this.stack.accounting,
              depths: () => this.depths,
              pollerErrors: this.stack.pollerErrors,
              interactive: this.options.interactive,
            },
            drained,
          ),
          { concurrent: true },
        );
      },
    };
  }

  private drain(): Promise<void> {
    const { sqs, resources, host } = this.stack;
    const drained = waitUntilDrained(
      {
        sqs,
        queueUrls: host.workers.map(({ queue }) => [queue, resources.queues[queue].url] as [QueueKey, string]),
        busy: async () => (await host.status()).busy,
      },
      {
        onProbe: (depths) => (this.depths = depths),
        waitingUntil: () => this.stack.accounting.waitingUntil(),
        signal: this.options.signal,
        ...(this.options.drainTimeoutMs !== undefined && { timeoutMs: this.options.drainTimeoutMs }),
      },
    ).then(() => {
      this.drainedAt = new Date();
    });
    // The progress subtasks await it; this only keeps an early failure from counting as unhandled.
    drained.catch(() => undefined);
    return drained;
  }
}

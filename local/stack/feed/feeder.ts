import type { SQSClient } from '@aws-sdk/client-sqs';
import type { QueueKey } from '../../../shared/config/resources.js';
import type { LocalResources } from '../../emulators.js';
import type { Accounting } from '../report/accounting.js';
import type { FedCourierScans } from './courier-scans.js';
import { routeLine } from '../../../shared/tooling/routing.js';
import { sendMessages, type SendResult } from '../../../shared/tooling/sender.js';

export interface FeedOutcome {
  results: SendResult[];
  /** Event types whose worker is not running here: sent to the fallback queue (and dead-lettered there). */
  rerouted: string[];
}

/** Routes lines to the queues, sends them, and books each send in the run's accounting (courier scans also per kit). */
export class Feeder {
  private readonly queueUrls: Record<QueueKey, string>;

  constructor(
    private readonly sqs: SQSClient,
    resources: LocalResources,
    private readonly consumed: ReadonlySet<QueueKey>,
    private readonly accounting: Accounting,
    private readonly courierScans: FedCourierScans,
  ) {
    this.queueUrls = Object.fromEntries(Object.entries(resources.queues).map(([key, queue]) => [key, queue.url])) as Record<QueueKey, string>;
  }

  /** `lineNumbers[i]` is the file line of `lines[i]` (a feed file); the demo's inputs are numbered in order. */
  async feed(lines: readonly string[], lineNumbers?: readonly number[]): Promise<FeedOutcome> {
    const messages = lines.map((line) => routeLine(line, this.consumed));
    const results = await sendMessages(this.sqs, this.queueUrls, messages);
    this.accounting.recordSent(results, lineNumbers);
    this.courierScans.record(results);
    const rerouted = [...new Set(messages.flatMap((m) => (m.rerouted && m.eventType ? [m.eventType] : [])))];
    return { results, rerouted };
  }
}

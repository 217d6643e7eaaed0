import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { QUEUES, queueName, type QueueKey } from '../../shared/config/resources.js';
import type { QueueDepth } from './verdict.js';

/** Where the stage's queues are: the account, region and prefix they are named by. */
export interface StagePlacement {
  account: string;
  region: string;
  prefix: string;
}

/** The stage's queues as the smoke test sees them: their URLs (built from the shared names) and their depths. */
export class StageQueues {
  static readonly ALL = Object.keys(QUEUES) as QueueKey[];

  constructor(
    private readonly sqs: SQSClient,
    private readonly stage: StagePlacement,
  ) {}

  url(key: QueueKey, dlq = false): string {
    const { region, account, prefix } = this.stage;
    return `https://sqs.${region}.amazonaws.com/${account}/${queueName(prefix, QUEUES[key], dlq)}`;
  }

  /** The depth of each queue (or of its DLQ), by queue name. */
  async depths(keys: QueueKey[], dlq: boolean): Promise<Record<string, QueueDepth>> {
    return Object.fromEntries(await Promise.all(keys.map(async (key) => [queueName(this.stage.prefix, QUEUES[key], dlq), await this.depth(this.url(key, dlq))] as const)));
  }

  private async depth(url: string): Promise<QueueDepth> {
    const { Attributes: a = {} } = await this.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'] }),
    );
    return { visible: Number(a.ApproximateNumberOfMessages ?? 0), inFlight: Number(a.ApproximateNumberOfMessagesNotVisible ?? 0), delayed: Number(a.ApproximateNumberOfMessagesDelayed ?? 0) };
  }
}

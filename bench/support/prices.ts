import { QUEUES } from '../../shared/config/resources.js';

/**
 * ap-south-1 (Mumbai) on-demand list prices in USD, first pricing tier, no free tier, as published
 * on the AWS pricing pages on the date below. Prices move: check them against the AWS Pricing
 * Calculator before quoting a figure outside this project.
 */
export const PRICES = {
  asOf: '2026-11-26',
  /** Lambda, Arm (Graviton): per request and per GB-second. */
  lambdaPerRequest: 0.2 / 1e6,
  lambdaArmPerGbSecond: 0.0000133334,
  /** SQS: per request (each 64 KiB chunk of a payload is one), standard and FIFO. */
  sqsStandardPerRequest: 0.4 / 1e6,
  sqsFifoPerRequest: 0.5 / 1e6,
  /** DynamoDB on-demand (after the November 2024 price cut): per write and read request unit. */
  dynamoPerWriteUnit: 0.7116 / 1e6,
  dynamoPerReadUnit: 0.1423 / 1e6,
  /** CloudWatch Logs ingestion (standard class), per GB; storage (about $0.03 per GB-month, compressed) is left out. */
  logsPerGb: 0.5,
  /** X-Ray: per trace recorded. */
  xrayPerTrace: 5 / 1e6,
  /** API Gateway HTTP API, per request (the courier webhook); WAF per request inspected. */
  httpApiPerRequest: 1 / 1e6,
  wafPerRequest: 0.6 / 1e6,
} as const;

/**
 * What is modelled rather than counted, with the reason:
 * - Lambda's SQS event source long-polls every queue it reads with at least 5 pollers, each
 *   ReceiveMessage waiting up to 20 s: about 3 requests a minute per poller while the queue is
 *   empty, every hour of the month, whatever the traffic (at full load the same receives return
 *   messages and are counted in the run). It is a fixed monthly cost, shown per million events at
 *   the stated monthly volume.
 * - Cold starts: the INIT phase is billed (since August 2025) at the function's memory; assumed
 *   one invocation in a hundred, at 300 ms (a 512 MB Arm function's init of a bundle this size).
 * - Tracing: X-Ray's default sampling rule records the first request each second and 5% of the
 *   rest; at volume, 5% of events, one trace each.
 */
export const MODEL = {
  idlePollersPerQueue: 5,
  idleReceivesPerPollerPerMinute: 3,
  coldStartShare: 0.01,
  initMs: 300,
  tracedShare: 0.05,
};

export interface Usage {
  /** Events in the run; everything else is the run's total. */
  events: number;
  monthlyEvents: number;
  lambdaRequests: number;
  lambdaGbSeconds: number;
  memoryGb: number;
  /** SQS requests of the run, empty receives left out; `sqsFifoRequests` of them on FIFO queues. */
  sqsRequests: number;
  sqsFifoRequests: number;
  dynamoReadUnits: number;
  dynamoWriteUnits: number;
  logBytes: number;
  /** Courier webhook requests (API Gateway, WAF). */
  webhookRequests: number;
  /** Trace documents and bytes for the run with every invocation sampled. */
  traceDocuments: number;
  traceBytes: number;
}

interface Line {
  component: string;
  quantity: string;
  dollars: number;
}

/** Cost lines per million events, largest first, and their total. */
export function costPerMillion(usage: Usage): { lines: Line[]; total: number } {
  const scale = 1e6 / usage.events;
  const count = (n: number) => (n * scale).toLocaleString('en-US', { maximumFractionDigits: 0 });
  const minutesPerMonth = 60 * 24 * 30.4;
  const queues = Object.values(QUEUES);
  const idleReceives = (queue: { fifo: boolean }) =>
    MODEL.idlePollersPerQueue * MODEL.idleReceivesPerPollerPerMinute * minutesPerMonth * (queue.fifo ? PRICES.sqsFifoPerRequest : PRICES.sqsStandardPerRequest);
  const idlePollsPerMonth = queues.reduce((sum, queue) => sum + idleReceives(queue), 0);
  const idleReceiveCount = queues.length * MODEL.idlePollersPerQueue * MODEL.idleReceivesPerPollerPerMinute * minutesPerMonth;
  const coldStarts = usage.lambdaRequests * MODEL.coldStartShare;
  const lines: Line[] = [
    { component: 'Lambda requests', quantity: `${count(usage.lambdaRequests)} invocations`, dollars: usage.lambdaRequests * scale * PRICES.lambdaPerRequest },
    { component: 'Lambda duration', quantity: `${count(usage.lambdaGbSeconds)} GB-s`, dollars: usage.lambdaGbSeconds * scale * PRICES.lambdaArmPerGbSecond },
    {
      component: 'Lambda init (modelled)',
      quantity: `${count(coldStarts)} cold starts × ${MODEL.initMs} ms`,
      dollars: ((coldStarts * MODEL.initMs) / 1_000) * usage.memoryGb * scale * PRICES.lambdaArmPerGbSecond,
    },
    {
      component: 'SQS requests',
      quantity: `${count(usage.sqsRequests)} (${count(usage.sqsFifoRequests)} FIFO)`,
      dollars: (usage.sqsFifoRequests * PRICES.sqsFifoPerRequest + (usage.sqsRequests - usage.sqsFifoRequests) * PRICES.sqsStandardPerRequest) * scale,
    },
    {
      component: `SQS idle long polls (modelled, ${queues.length} queues)`,
      quantity: `${Math.round((idleReceiveCount * 1e6) / usage.monthlyEvents).toLocaleString('en-US')} at ${usage.monthlyEvents.toLocaleString('en-US')} events/month`,
      dollars: (idlePollsPerMonth * 1e6) / usage.monthlyEvents,
    },
    { component: 'DynamoDB writes', quantity: `${count(usage.dynamoWriteUnits)} WRU`, dollars: usage.dynamoWriteUnits * scale * PRICES.dynamoPerWriteUnit },
    { component: 'DynamoDB reads', quantity: `${count(usage.dynamoReadUnits)} RRU`, dollars: usage.dynamoReadUnits * scale * PRICES.dynamoPerReadUnit },
    { component: 'CloudWatch Logs ingestion', quantity: `${((usage.logBytes * scale) / 1e9).toFixed(2)} GB`, dollars: ((usage.logBytes * scale) / 1e9) * PRICES.logsPerGb },
    { component: 'API Gateway HTTP API + WAF', quantity: `${count(usage.webhookRequests)} requests`, dollars: usage.webhookRequests * scale * (PRICES.httpApiPerRequest + PRICES.wafPerRequest) },
    {
      component: `X-Ray traces (${MODEL.tracedShare * 100}% sampled)`,
      quantity: `${(1e6 * MODEL.tracedShare).toLocaleString('en-US')} traces`,
      dollars: 1e6 * MODEL.tracedShare * PRICES.xrayPerTrace,
    },
  ];
  lines.sort((a, b) => b.dollars - a.dollars);
  return { lines, total: lines.reduce((sum, line) => sum + line.dollars, 0) };
}

/** The cost table as the bench prints it (Markdown, ready for docs/PERFORMANCE.md). */
export function priceTable(usage: Usage): string {
  const { lines, total } = costPerMillion(usage);
  const share = (dollars: number) => `${((dollars / total) * 100).toFixed(0)}%`;
  return [
    '| per million events | quantity | USD | share |',
    '| --- | ---: | ---: | ---: |',
    ...lines.map((line) => `| ${line.component} | ${line.quantity} | ${line.dollars.toFixed(2)} | ${share(line.dollars)} |`),
    `| **total** | | **${total.toFixed(2)}** | |`,
  ].join('\n');
}

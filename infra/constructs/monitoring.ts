import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  AlarmWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  MathExpression,
  Metric,
  TextWidget,
  TreatMissingData,
  type IMetric,
  type IWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { visibilityTimeoutSeconds } from '../../shared/config/resources.js';
import { DEFAULT_TIMEOUTS_MS } from '../../shared/dcms/client.js';
import { METRICS_NAMESPACE } from '../../shared/observability/telemetry.js';
import type { IntegrationFunction } from './integration-function.js';
import type { QueueWorker } from './queue-worker.js';
import type { WebhookApi } from './webhook-api.js';

/** Every DCMS endpoint the client knows: the `endpoint` values of the DcmsCalls metric. */
const DCMS_ENDPOINTS = Object.keys(DEFAULT_TIMEOUTS_MS);

/** Alarm thresholds, and why. */
export const ALARM_POLICY = {
  /** Any function error pages: workers report bad records as batch item failures, so an error is a crash or a bad deploy. */
  functionErrors: 1,
  /** Any throttle pages: maxConcurrency keeps the event sources under their ceiling, so a throttle means the account's concurrency is exhausted. */
  functionThrottles: 1,
  /** DCMS error rate, in percent of calls over 5 minutes, two periods running: a bank-wide problem, not one bad record. */
  dcmsErrorRatePercent: 10,
  /** Below this many calls in 5 minutes the rate is noise (2 failures out of 5 are not an outage). */
  dcmsMinCalls: 20,
} as const;

const FIVE_MINUTES = Duration.minutes(5);
const ONE_MINUTE = Duration.minutes(1);

/** Dimension sets of the EMF metrics the functions emit (Powertools adds `service` to each). */
const EMF_DIMENSIONS = {
  EventsProcessed: 'eventType, outcome, service',
  DcmsCalls: 'endpoint, outcome, service',
  DcmsLatency: 'endpoint, outcome, service',
} as const;

/** A Metrics Insights query over one EMF metric; CloudWatch allows one such query per widget or alarm. */
const insights = (aggregate: 'SUM' | 'AVG', metricName: keyof typeof EMF_DIMENSIONS, where: string, groupBy?: string): MathExpression =>
  new MathExpression({
    expression: `SELECT ${aggregate}(${metricName}) FROM SCHEMA("${METRICS_NAMESPACE}", ${EMF_DIMENSIONS[metricName]}) WHERE ${where}${groupBy ? ` GROUP BY ${groupBy}` : ''}`,
    usingMetrics: {},
    // Empty: each grouped series keeps its own label (the outcome, the endpoint).
    label: '',
    period: FIVE_MINUTES,
  });

/**
 * Alarms to one encrypted SNS topic and one dashboard with each flow's key figures. Hand-written on
 * the L2 metric helpers rather than a monitoring library: most alarms here are domain metrics
 * (Metrics Insights over EMF), which such libraries leave to the caller anyway.
 */
export class Monitoring extends Construct {
  readonly topic: Topic;
  readonly dashboard: Dashboard;
  private readonly prefix: string;

  constructor(scope: Construct, id: string, props: { prefix: string; key: IKey }) {
    super(scope, id);
    this.prefix = props.prefix;
    this.topic = new Topic(this, 'AlarmTopic', { topicName: `${props.prefix}-alarms`, masterKey: props.key, enforceSSL: true });
    this.dashboard = new Dashboard(this, 'Dashboard', { dashboardName: `${props.prefix}-flows`, defaultInterval: Duration.hours(3) });
  }

  /** A queue worker: its DLQ, backlog, function health and, for DCMS workers, the DCMS error rate. */
  watchWorker(worker: QueueWorker, options: { callsDcms: boolean }): void {
    const { service } = worker.handler;
    const { queue, deadLetterQueue, description } = worker.queue;

    const deadLetters = deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: ONE_MINUTE, statistic: 'Maximum', label: 'in DLQ' });
    this.alarm(`${service}-dlq-not-empty`, deadLetters, 1, `A ${service} message was dead-lettered: read its failure.* attributes, fix, redrive.`);

    // Older than the whole retry ladder (every receive's visibility timeout): the message is stuck or the fleet is behind.
    const ladderSeconds = description.maxReceiveCount * visibilityTimeoutSeconds(description);
    const oldest = queue.metricApproximateAgeOfOldestMessage({ period: ONE_MINUTE, statistic: 'Maximum', label: 'oldest (s)' });
    this.alarm(`${service}-oldest-message`, oldest, ladderSeconds, `${service}: a message has waited longer than its retry ladder (${ladderSeconds} s).`);

    this.watchFunction(worker.handler);

    const widgets: IWidget[] = [
      new GraphWidget({
        title: `${service}: events by outcome`,
        left: [insights('SUM', 'EventsProcessed', `service = '${service}'`, 'outcome')],
        width: 8,
      }),
      new GraphWidget({
        title: `${service}: queue backlog`,
        left: [queue.metricApproximateNumberOfMessagesVisible({ period: ONE_MINUTE, statistic: 'Maximum', label: 'visible' }), deadLetters],
        right: [oldest],
        width: 8,
      }),
      this.functionWidget(worker.handler),
    ];
    if (options.callsDcms) {
      const rate = this.alarm(`${service}-dcms-error-rate`, this.dcmsErrorRate(service), ALARM_POLICY.dcmsErrorRatePercent, `${service}: DCMS answers errors to ${ALARM_POLICY.dcmsErrorRatePercent}% or more of calls.`, 2);
      widgets.push(
        new GraphWidget({
          title: `${service}: DCMS calls by endpoint and outcome`,
          left: [insights('SUM', 'DcmsCalls', `service = '${service}'`, 'endpoint, outcome')],
          width: 8,
        }),
        new GraphWidget({
          title: `${service}: DCMS latency by endpoint (avg ms)`,
          left: [insights('AVG', 'DcmsLatency', `service = '${service}'`, 'endpoint')],
          width: 8,
        }),
        new AlarmWidget({ title: `${service}: DCMS error rate (%)`, alarm: rate, width: 8 }),
      );
    }
    this.dashboard.addWidgets(new TextWidget({ markdown: `## ${service}\nQueue \`${queue.queueName}\`, DLQ \`${deadLetterQueue.queueName}\``, width: 24, height: 1 }));
    this.dashboard.addWidgets(...widgets);
  }

  /** The webhooks: API traffic and answers, and each handler's health. */
  watchWebhooks(api: WebhookApi, handlers: readonly IntegrationFunction[]): void {
    for (const handler of handlers) this.watchFunction(handler);
    const stage = api.stage;
    this.dashboard.addWidgets(new TextWidget({ markdown: '## Webhooks', width: 24, height: 1 }));
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'webhooks: requests and errors',
        left: [stage.metricCount({ period: FIVE_MINUTES, label: 'requests' }), stage.metricClientError({ period: FIVE_MINUTES, label: '4xx' }), stage.metricServerError({ period: FIVE_MINUTES, label: '5xx' })],
        right: [stage.metricLatency({ period: FIVE_MINUTES, statistic: 'p99', label: 'latency p99 (ms)' })],
        width: 8,
      }),
      ...handlers.map((handler) => this.functionWidget(handler)),
    );
  }

  private watchFunction(handler: IntegrationFunction): void {
    const fn = handler.function;
    this.alarm(`${handler.service}-errors`, fn.metricErrors({ period: FIVE_MINUTES }), ALARM_POLICY.functionErrors, `${handler.service} failed (error or timeout): see its log group.`);
    this.alarm(`${handler.service}-throttles`, fn.metricThrottles({ period: FIVE_MINUTES }), ALARM_POLICY.functionThrottles, `${handler.service} was throttled: account concurrency is exhausted.`);
  }

  private functionWidget(handler: IntegrationFunction): GraphWidget {
    const fn = handler.function;
    return new GraphWidget({
      title: `${handler.service}: invocations`,
      left: [fn.metricInvocations({ period: FIVE_MINUTES }), fn.metricErrors({ period: FIVE_MINUTES }), fn.metricThrottles({ period: FIVE_MINUTES })],
      right: [fn.metricDuration({ period: FIVE_MINUTES, statistic: 'p99', label: 'duration p99 (ms)' })],
      width: 8,
    });
  }

  /**
   * Percentage of DCMS calls that did not answer a plain `200` (outcome `<status>:<code>`, TIMEOUT,
   * NETWORK), over 5 minutes. The errors come from one Metrics Insights query, because their
   * `outcome` values are open-ended; the successes are the `outcome = 200` series of each endpoint.
   */
  private dcmsErrorRate(service: string): MathExpression {
    const okIds = DCMS_ENDPOINTS.map((_, i) => `ok${i}`);
    const ok = Object.fromEntries(
      DCMS_ENDPOINTS.map((endpoint, i) => [
        okIds[i]!,
        new Metric({ namespace: METRICS_NAMESPACE, metricName: 'DcmsCalls', dimensionsMap: { service, endpoint, outcome: '200' }, statistic: 'Sum', period: FIVE_MINUTES }),
      ]),
    );
    const errors = 'FILL(errors, 0)';
    const total = `(${[errors, ...okIds.map((id) => `FILL(${id}, 0)`)].join(' + ')})`;
    return new MathExpression({
      expression: `IF(${total} >= ${ALARM_POLICY.dcmsMinCalls}, 100 * ${errors} / ${total}, 0)`,
      usingMetrics: { errors: insights('SUM', 'DcmsCalls', `service = '${service}' AND outcome != '200'`), ...ok },
      label: 'DCMS error rate (%)',
      period: FIVE_MINUTES,
    });
  }

  private alarm(name: string, metric: IMetric, threshold: number, description: string, periods = 1): Alarm {
    const alarm = new Alarm(this, name, {
      alarmName: `${this.prefix}-${name}`,
      alarmDescription: description,
      metric,
      threshold,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: periods,
      datapointsToAlarm: periods,
      // No data means no traffic (SQS and Lambda publish nothing when idle): not a failure.
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    const action = new SnsAction(this.topic);
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
    return alarm;
  }
}

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
import { oldestMessageAlarmSeconds } from '../../shared/config/resources.js';
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

/** The platforms workers call, as their EMF metrics name them (shared/observability, shared/worker/card91-runtime.ts). */
const PLATFORMS = {
  dcms: { name: 'DCMS', calls: 'DcmsCalls', latency: 'DcmsLatency', operation: 'endpoint' },
  card91: { name: 'Card91', calls: 'Card91Calls', latency: 'Card91Latency', operation: 'method' },
} as const;
export type Platform = keyof typeof PLATFORMS;

/**
 * A Metrics Insights query over one EMF metric of the namespace, whatever its dimension set;
 * CloudWatch allows one such query per widget or alarm.
 */
const insights = (aggregate: 'SUM' | 'AVG', metricName: string, where: string, groupBy?: string): MathExpression =>
  new MathExpression({
    expression: `SELECT ${aggregate}(${metricName}) FROM "${METRICS_NAMESPACE}" WHERE ${where}${groupBy ? ` GROUP BY ${groupBy}` : ''}`,
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

  /** A queue worker: its DLQ, backlog, function health, the platform it calls and, for DCMS, the error rate. */
  watchWorker(worker: QueueWorker, calls: Platform): void {
    const { service } = worker.handler;
    const { queue, deadLetterQueue, description } = worker.queue;

    const deadLetters = deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: ONE_MINUTE, statistic: 'Maximum' });
    this.alarm(`${service}-dlq-not-empty`, deadLetters, 1, `A ${service} message was dead-lettered: read its failure.* attributes, fix, redrive.`);

    // Records wait out an unhealthy platform for up to their retry budget (a day): nothing is lost meanwhile,
    // but an hour of waiting means an outage or a fleet that is behind, and someone should look.
    const waitSeconds = oldestMessageAlarmSeconds(description);
    const oldest = queue.metricApproximateAgeOfOldestMessage({ period: ONE_MINUTE, statistic: 'Maximum' });
    this.alarm(`${service}-oldest-message`, oldest, waitSeconds, `${service}: a message has waited ${waitSeconds} s; it is dead-lettered after ${description.retry.budgetSeconds} s of failures.`);

    this.watchFunction(worker.handler);

    const platform = PLATFORMS[calls];
    const widgets: IWidget[] = [
      new GraphWidget({
        title: `${service}: events by outcome`,
        left: [insights('SUM', 'EventsProcessed', `service = '${service}'`, 'outcome')],
        width: 8,
      }),
      new GraphWidget({
        title: `${service}: queue backlog`,
        left: [queue.metricApproximateNumberOfMessagesVisible({ period: ONE_MINUTE, statistic: 'Maximum', label: 'visible' }), deadLetters.with({ label: 'in DLQ' })],
        right: [oldest.with({ label: 'oldest (s)' })],
        width: 8,
      }),
      this.functionWidget(worker.handler),
      new GraphWidget({
        title: `${service}: ${platform.name} calls by ${platform.operation} and outcome`,
        left: [insights('SUM', platform.calls, `service = '${service}'`, `${platform.operation}, outcome`)],
        width: 8,
      }),
      new GraphWidget({
        title: `${service}: ${platform.name} latency by ${platform.operation} (avg ms)`,
        left: [insights('AVG', platform.latency, `service = '${service}'`, platform.operation)],
        width: 8,
      }),
    ];
    if (calls === 'dcms') {
      const rate = this.alarm(`${service}-dcms-error-rate`, this.dcmsErrorRate(service), ALARM_POLICY.dcmsErrorRatePercent, `${service}: DCMS answers errors to ${ALARM_POLICY.dcmsErrorRatePercent}% or more of calls.`, 2);
      widgets.push(new AlarmWidget({ title: `${service}: DCMS error rate (%)`, alarm: rate, width: 8 }));
    }
    this.dashboard.addWidgets(new TextWidget({ markdown: `## ${service}\nQueue \`${queue.queueName}\`, DLQ \`${deadLetterQueue.queueName}\``, width: 24, height: 1 }));
    this.dashboard.addWidgets(...widgets);
  }

  /** The webhook API: traffic, answers, latency. */
  watchApi(api: WebhookApi): void {
    const { stage } = api;
    this.dashboard.addWidgets(new TextWidget({ markdown: '## Webhooks', width: 24, height: 1 }));
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'webhooks: requests and errors',
        left: [stage.metricCount({ period: FIVE_MINUTES, label: 'requests' }), stage.metricClientError({ period: FIVE_MINUTES, label: '4xx' }), stage.metricServerError({ period: FIVE_MINUTES, label: '5xx' })],
        right: [stage.metricLatency({ period: FIVE_MINUTES, statistic: 'p99', label: 'latency p99 (ms)' })],
        width: 24,
      }),
    );
  }

  /** One webhook: its health, and its own EMF count of requests by outcome. */
  watchWebhook(handler: IntegrationFunction, requests: { metric: string; by: string }): void {
    this.watchFunction(handler);
    this.dashboard.addWidgets(
      new GraphWidget({
        title: `${handler.service}: ${requests.metric} by ${requests.by}`,
        left: [insights('SUM', requests.metric, `service = '${handler.service}'`, requests.by)],
        width: 12,
      }),
      this.functionWidget(handler, 12),
    );
  }

  private watchFunction(handler: IntegrationFunction): void {
    const fn = handler.function;
    this.alarm(`${handler.service}-errors`, fn.metricErrors({ period: FIVE_MINUTES }), ALARM_POLICY.functionErrors, `${handler.service} failed (error or timeout): see its log group.`);
    this.alarm(`${handler.service}-throttles`, fn.metricThrottles({ period: FIVE_MINUTES }), ALARM_POLICY.functionThrottles, `${handler.service} was throttled: account concurrency is exhausted.`);
  }

  private functionWidget(handler: IntegrationFunction, width = 8): GraphWidget {
    const fn = handler.function;
    return new GraphWidget({
      title: `${handler.service}: invocations`,
      left: [fn.metricInvocations({ period: FIVE_MINUTES }), fn.metricErrors({ period: FIVE_MINUTES }), fn.metricThrottles({ period: FIVE_MINUTES })],
      right: [fn.metricDuration({ period: FIVE_MINUTES, statistic: 'p99', label: 'duration p99 (ms)' })],
      width,
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
        new Metric({ namespace: METRICS_NAMESPACE, metricName: PLATFORMS.dcms.calls, dimensionsMap: { service, endpoint, outcome: '200' }, statistic: 'Sum', period: FIVE_MINUTES }),
      ]),
    );
    const errors = 'FILL(errors, 0)';
    const total = `(${[errors, ...okIds.map((id) => `FILL(${id}, 0)`)].join(' + ')})`;
    return new MathExpression({
      expression: `IF(${total} >= ${ALARM_POLICY.dcmsMinCalls}, 100 * ${errors} / ${total}, 0)`,
      usingMetrics: { errors: insights('SUM', PLATFORMS.dcms.calls, `service = '${service}' AND outcome != '200'`), ...ok },
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

import { Duration } from 'aws-cdk-lib';
import { Alarm, AlarmWidget, ComparisonOperator, Dashboard, GraphWidget, TextWidget, TreatMissingData, type IMetric, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { oldestMessageAlarmSeconds, webhookRouteKey, type WebhookRouteName } from '../../shared/config/resources.js';
import { DEPENDENCY_WAITS_METRIC, METRICS_NAMESPACE } from '../../shared/observability/telemetry.js';
import { ALARM_POLICY, DAY_SECONDS, dlqExpiryAlarmSeconds, FIFTEEN_MINUTES, FIVE_MINUTES, ONE_MINUTE } from './alarm-policy.js';
import type { IntegrationFunction } from './integration-function.js';
import { insights, platformErrorRate, PLATFORMS, type Platform } from './platform-metrics.js';
import type { QueueWorker } from './queue-worker.js';
import type { WebhookApi } from './webhook-api.js';
import { WebhookRouteMetrics } from './webhook-route-metrics.js';

export { ALARM_POLICY, dlqExpiryAlarmSeconds } from './alarm-policy.js';
export type { Platform } from './platform-metrics.js';
export { API_METRICS_NAMESPACE } from './webhook-route-metrics.js';

const kebab = (name: string): string => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

export interface MonitoringProps {
  prefix: string;
  key: IKey;
  /** The on-call address: mailed on ALARM and on OK. */
  email: string;
}

/**
 * Alarms to one encrypted SNS topic (mailed to the stage's on-call address) and one dashboard with
 * each flow's key figures. Hand-written on the L2 metric helpers rather than a monitoring library:
 * most alarms here are domain metrics (Metrics Insights over EMF), which such libraries leave to the
 * caller anyway.
 */
export class Monitoring extends Construct {
  readonly topic: Topic;
  readonly dashboard: Dashboard;
  private readonly prefix: string;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    this.prefix = props.prefix;
    this.topic = new Topic(this, 'AlarmTopic', { topicName: `${props.prefix}-alarms`, masterKey: props.key, enforceSSL: true });
    this.topic.addSubscription(new EmailSubscription(props.email));
    this.dashboard = new Dashboard(this, 'Dashboard', { dashboardName: `${props.prefix}-flows`, defaultInterval: Duration.hours(3) });
  }

  /**
   * A queue worker: its DLQ, backlog, function health, the platform it calls and its error rate.
   * `oldestMessageSeconds` replaces the queue's usual backlog threshold where a backlog is the queue's
   * normal state (a bulk lane during a migration).
   */
  watchWorker(worker: QueueWorker, calls: Platform, options: { oldestMessageSeconds?: number } = {}): void {
    const { service } = worker.handler;
    const queue = this.watchQueue(worker, options.oldestMessageSeconds);
    this.watchFunction(worker.handler);
    const platform = PLATFORMS[calls];
    const rate = this.alarm(
      `${service}-${calls}-error-rate`,
      platformErrorRate(calls, service),
      ALARM_POLICY.platformErrorRatePercent,
      `${service}: ${platform.name} answers errors to ${ALARM_POLICY.platformErrorRatePercent}% or more of calls.`,
      2,
    );
    this.addWorkerRow(worker, calls, { ...queue, rate });
  }

  /** A worker whose records can wait on one another (CUS001): an alarm when the waiting ones pile up. */
  watchDependencyWaits(worker: QueueWorker): void {
    const { service } = worker.handler;
    const waits = new Metric({ namespace: METRICS_NAMESPACE, metricName: DEPENDENCY_WAITS_METRIC, dimensionsMap: { service }, statistic: 'Sum', period: FIFTEEN_MINUTES });
    this.alarm(
      `${service}-dependency-waits`,
      waits,
      ALARM_POLICY.dependencyWaits,
      `${service}: ${ALARM_POLICY.dependencyWaits} or more records a quarter-hour keep waiting on a dependency (CUS001: their customer is not in DCMS). Runbook §3, DependencyNotReady: find the customers' events.`,
      ALARM_POLICY.dependencyWaitsPeriods,
    );
  }

  /**
   * The webhook API, route by route: requests, 4xx and 5xx rates and p99 latency, read from the access
   * log (metric filters keyed by route), with an alarm on each.
   */
  watchApi(api: WebhookApi): void {
    const metrics = new WebhookRouteMetrics(this, api);
    this.dashboard.addWidgets(new TextWidget({ markdown: '## Webhooks', width: 24, height: 1 }));
    for (const name of Object.keys(api.routes) as WebhookRouteName[]) {
      const route = webhookRouteKey(name);
      const figures = metrics.forRoute(route);
      const id = `webhook-${kebab(name)}`;
      this.alarm(
        `${id}-5xx-rate`,
        figures.serverErrorRate,
        ALARM_POLICY.webhook5xxRatePercent,
        `${route}: ${ALARM_POLICY.webhook5xxRatePercent}% or more of requests answered 5xx; the partner must resend them. See the function's errors and the access log.`,
        2,
      );
      this.alarm(
        `${id}-4xx-rate`,
        figures.clientErrorRate,
        ALARM_POLICY.webhook4xxRatePercent,
        `${route}: ${ALARM_POLICY.webhook4xxRatePercent}% or more of requests refused (4xx): a partner sending bad signatures or bodies, or a flood throttled (429). See the access log by status.`,
        3,
      );
      const objective = api.routes[name].latencyP99Ms;
      this.alarm(`${id}-latency-p99`, figures.latencyP99, objective, `${route}: p99 latency above ${objective} ms; the partner is kept waiting.`, ALARM_POLICY.webhookLatencyPeriods);
      this.dashboard.addWidgets(
        new GraphWidget({
          title: `${route}: requests and errors`,
          left: [figures.requests.with({ label: 'requests' }), figures.clientErrors.with({ label: '4xx' }), figures.serverErrors.with({ label: '5xx' })],
          right: [figures.latencyP99.with({ label: 'latency p99 (ms)' })],
          width: 12,
        }),
      );
    }
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

  /** A worker's queue and DLQ: a dead letter, a dead letter about to expire, a message waiting too long. */
  private watchQueue(worker: QueueWorker, oldestMessageSeconds?: number): { deadLetters: Metric; oldest: Metric } {
    const { service } = worker.handler;
    const { queue, deadLetterQueue, description } = worker.queue;
    const deadLetters = deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: ONE_MINUTE, statistic: 'Maximum' });
    this.alarm(`${service}-dlq-not-empty`, deadLetters, 1, `A ${service} message was dead-lettered: read its failure.* attributes, fix, redrive.`);
    // The alarm above rings once and stays in ALARM while dead letters wait; this one rings again before they are lost.
    const expiring = dlqExpiryAlarmSeconds(description);
    this.alarm(
      `${service}-dlq-expiring`,
      deadLetterQueue.metricApproximateAgeOfOldestMessage({ period: FIVE_MINUTES, statistic: 'Maximum' }),
      expiring,
      `${service}: a dead letter has waited ${expiring / DAY_SECONDS} days; it may expire within ${ALARM_POLICY.dlqExpiryWarningDays} days. Redrive or export it now.`,
    );

    // Records wait out an unhealthy platform for up to their retry budget (a day): nothing is lost meanwhile,
    // but an hour of waiting means an outage or a fleet that is behind, and someone should look.
    const waitSeconds = oldestMessageSeconds ?? oldestMessageAlarmSeconds(description);
    const oldest = queue.metricApproximateAgeOfOldestMessage({ period: ONE_MINUTE, statistic: 'Maximum' });
    this.alarm(`${service}-oldest-message`, oldest, waitSeconds, `${service}: a message has waited ${waitSeconds} s; it is dead-lettered after ${description.retry.budgetSeconds} s of failures.`);
    return { deadLetters, oldest };
  }

  /** The worker's row of the dashboard: events, backlog, function, platform calls, latency and error rate. */
  private addWorkerRow(worker: QueueWorker, calls: Platform, figures: { deadLetters: Metric; oldest: Metric; rate: Alarm }): void {
    const { service } = worker.handler;
    const { queue, deadLetterQueue } = worker.queue;
    const platform = PLATFORMS[calls];
    this.dashboard.addWidgets(new TextWidget({ markdown: `## ${service}\nQueue \`${queue.queueName}\`, DLQ \`${deadLetterQueue.queueName}\``, width: 24, height: 1 }));
    this.dashboard.addWidgets(
      new GraphWidget({
        title: `${service}: events by outcome`,
        left: [insights('SUM', 'EventsProcessed', `service = '${service}'`, 'outcome')],
        width: 8,
      }),
      new GraphWidget({
        title: `${service}: queue backlog`,
        left: [queue.metricApproximateNumberOfMessagesVisible({ period: ONE_MINUTE, statistic: 'Maximum', label: 'visible' }), figures.deadLetters.with({ label: 'in DLQ' })],
        right: [figures.oldest.with({ label: 'oldest (s)' })],
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
      new AlarmWidget({ title: `${service}: ${platform.name} error rate (%)`, alarm: figures.rate, width: 8 }),
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

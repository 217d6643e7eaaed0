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
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { FilterPattern, MetricFilter } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { oldestMessageAlarmSeconds, webhookRouteKey, type QueueDescription, type WebhookRouteName } from '../../shared/config/resources.js';
import { DEFAULT_TIMEOUTS_MS } from '../../shared/dcms/client.js';
import { METRICS_NAMESPACE } from '../../shared/observability/telemetry.js';
import type { IntegrationFunction } from './integration-function.js';
import type { QueueWorker } from './queue-worker.js';
import type { WebhookApi } from './webhook-api.js';
import { SOURCE_RETENTION_DAYS } from './worker-queue.js';

/** Alarm thresholds, and why. */
export const ALARM_POLICY = {
  /** Any function error pages: workers report bad records as batch item failures, so an error is a crash or a bad deploy. */
  functionErrors: 1,
  /** Any throttle pages: maxConcurrency keeps the event sources under their ceiling, so a throttle means the account's concurrency is exhausted. */
  functionThrottles: 1,
  /** Platform error rate, in percent of calls over 5 minutes, two periods running: a bank-wide problem, not one bad record. */
  platformErrorRatePercent: 10,
  /** Below this many calls in 5 minutes the rate is noise (2 failures out of 5 are not an outage). */
  platformMinCalls: 20,
  /**
   * A dead letter is lost when the DLQ's retention runs out. The DLQ's age metric counts from the move, while a
   * standard queue's message expires counting from its first enqueue, up to the source retention earlier: warn this
   * many days before the earliest possible expiry.
   */
  dlqExpiryWarningDays: 2,
  /** Webhook 5xx (our fault: the partner must resend), percent of a route's requests, two 5-minute periods running. */
  webhook5xxRatePercent: 5,
  /** Webhook 4xx (refused signatures or bodies, and API Gateway's 429s in a flood), percent, three periods running. */
  webhook4xxRatePercent: 25,
  /** Below this many requests to a route in 5 minutes its rates are noise. */
  webhookMinRequests: 20,
  /** p99 above the route's objective this many 5-minute periods running. */
  webhookLatencyPeriods: 3,
} as const;

const FIVE_MINUTES = Duration.minutes(5);
const ONE_MINUTE = Duration.minutes(1);
const DAY_SECONDS = 86_400;

/** Namespace of the per-route API figures read from the access log (API Gateway's own metrics carry no route unless detailed metrics are bought). */
export const API_METRICS_NAMESPACE = `${METRICS_NAMESPACE}/WebhookApi`;

/** The platforms workers call, as their EMF metrics name them (shared/observability, shared/worker/card91-runtime.ts). */
const PLATFORMS = {
  dcms: {
    name: 'DCMS',
    calls: 'DcmsCalls',
    latency: 'DcmsLatency',
    operation: 'endpoint',
    // Every DCMS endpoint the client knows.
    operations: Object.keys(DEFAULT_TIMEOUTS_MS),
  },
  card91: {
    name: 'Card91',
    calls: 'Card91Calls',
    latency: 'Card91Latency',
    operation: 'method',
    // The Card91 client methods card-controls calls (functions/card-controls/apply-control.ts, login included). A method
    // missing here only lowers the denominator: the rate errs towards ringing.
    operations: ['loginWithToken', 'getCustomerDetail', 'blockCard', 'setCardLock', 'getCardSettings', 'setCardSettings'],
  },
} as const;
export type Platform = keyof typeof PLATFORMS;

/** How long a message may sit in a DLQ before it may expire, less the warning (see ALARM_POLICY.dlqExpiryWarningDays). */
export const dlqExpiryAlarmSeconds = (description: QueueDescription): number =>
  (description.dlqRetentionDays - SOURCE_RETENTION_DAYS - ALARM_POLICY.dlqExpiryWarningDays) * DAY_SECONDS;

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
    const waitSeconds = options.oldestMessageSeconds ?? oldestMessageAlarmSeconds(description);
    const oldest = queue.metricApproximateAgeOfOldestMessage({ period: ONE_MINUTE, statistic: 'Maximum' });
    this.alarm(`${service}-oldest-message`, oldest, waitSeconds, `${service}: a message has waited ${waitSeconds} s; it is dead-lettered after ${description.retry.budgetSeconds} s of failures.`);

    this.watchFunction(worker.handler);

    const platform = PLATFORMS[calls];
    const rate = this.alarm(
      `${service}-${calls}-error-rate`,
      this.platformErrorRate(calls, service),
      ALARM_POLICY.platformErrorRatePercent,
      `${service}: ${platform.name} answers errors to ${ALARM_POLICY.platformErrorRatePercent}% or more of calls.`,
      2,
    );
    this.dashboard.addWidgets(new TextWidget({ markdown: `## ${service}\nQueue \`${queue.queueName}\`, DLQ \`${deadLetterQueue.queueName}\``, width: 24, height: 1 }));
    this.dashboard.addWidgets(
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
      new AlarmWidget({ title: `${service}: ${platform.name} error rate (%)`, alarm: rate, width: 8 }),
    );
  }

  /**
   * The webhook API, route by route: requests, 4xx and 5xx rates and p99 latency, read from the access
   * log (metric filters keyed by route), with an alarm on each.
   */
  watchApi(api: WebhookApi): void {
    const metric = (id: string, metricName: string, pattern: string, value: string) =>
      new MetricFilter(this, id, {
        logGroup: api.accessLogs,
        filterPattern: FilterPattern.literal(pattern),
        metricNamespace: API_METRICS_NAMESPACE,
        metricName,
        metricValue: value,
        dimensions: { route: '$.routeKey' },
      });
    const filters = {
      requests: metric('ApiRequestsFilter', 'Requests', '{ $.status >= 100 }', '1'),
      clientErrors: metric('Api4xxFilter', '4xx', '{ $.status >= 400 && $.status < 500 }', '1'),
      serverErrors: metric('Api5xxFilter', '5xx', '{ $.status >= 500 }', '1'),
      latency: metric('ApiLatencyFilter', 'Latency', '{ $.responseLatency >= 0 }', '$.responseLatency'),
    };

    this.dashboard.addWidgets(new TextWidget({ markdown: '## Webhooks', width: 24, height: 1 }));
    for (const name of Object.keys(api.routes) as WebhookRouteName[]) {
      const route = webhookRouteKey(name);
      const of = (filter: MetricFilter, statistic: string) => filter.metric({ dimensionsMap: { route }, statistic, period: FIVE_MINUTES });
      const requests = of(filters.requests, 'Sum');
      const id = `webhook-${kebab(name)}`;
      const rate = (errors: IMetric, label: string) =>
        new MathExpression({
          expression: `IF(FILL(requests, 0) >= ${ALARM_POLICY.webhookMinRequests}, 100 * FILL(errors, 0) / requests, 0)`,
          usingMetrics: { requests, errors },
          label,
          period: FIVE_MINUTES,
        });
      this.alarm(
        `${id}-5xx-rate`,
        rate(of(filters.serverErrors, 'Sum'), `${route} 5xx (%)`),
        ALARM_POLICY.webhook5xxRatePercent,
        `${route}: ${ALARM_POLICY.webhook5xxRatePercent}% or more of requests answered 5xx; the partner must resend them. See the function's errors and the access log.`,
        2,
      );
      this.alarm(
        `${id}-4xx-rate`,
        rate(of(filters.clientErrors, 'Sum'), `${route} 4xx (%)`),
        ALARM_POLICY.webhook4xxRatePercent,
        `${route}: ${ALARM_POLICY.webhook4xxRatePercent}% or more of requests refused (4xx): a partner sending bad signatures or bodies, or a flood throttled (429). See the access log by status.`,
        3,
      );
      const latency = of(filters.latency, 'p99');
      const objective = api.routes[name].latencyP99Ms;
      this.alarm(`${id}-latency-p99`, latency, objective, `${route}: p99 latency above ${objective} ms; the partner is kept waiting.`, ALARM_POLICY.webhookLatencyPeriods);
      this.dashboard.addWidgets(
        new GraphWidget({
          title: `${route}: requests and errors`,
          left: [requests.with({ label: 'requests' }), of(filters.clientErrors, 'Sum').with({ label: '4xx' }), of(filters.serverErrors, 'Sum').with({ label: '5xx' })],
          right: [latency.with({ label: 'latency p99 (ms)' })],
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
   * Percentage of a platform's calls that did not answer a plain `200` (DCMS: `<status>:<code>`,
   * TIMEOUT, NETWORK; Card91: the status, `timeout`, `network`), over 5 minutes. The errors come from
   * one Metrics Insights query, because their `outcome` values are open-ended; the successes are the
   * `outcome = 200` series of each operation. An alarm may hold one Metrics Insights query and at most
   * 10 metrics (CloudWatch quotas): one query, one series per operation.
   */
  private platformErrorRate(calls: Platform, service: string): MathExpression {
    const platform = PLATFORMS[calls];
    const ok = Object.fromEntries(
      platform.operations.map((operation, i) => [
        `ok${i}`,
        new Metric({ namespace: METRICS_NAMESPACE, metricName: platform.calls, dimensionsMap: { service, [platform.operation]: operation, outcome: '200' }, statistic: 'Sum', period: FIVE_MINUTES }),
      ]),
    );
    const errors = 'FILL(errors, 0)';
    const total = `(${[errors, ...Object.keys(ok).map((id) => `FILL(${id}, 0)`)].join(' + ')})`;
    return new MathExpression({
      expression: `IF(${total} >= ${ALARM_POLICY.platformMinCalls}, 100 * ${errors} / ${total}, 0)`,
      usingMetrics: {
        errors: new MathExpression({
          expression: `SELECT SUM(${platform.calls}) FROM "${METRICS_NAMESPACE}" WHERE service = '${service}' AND outcome != '200'`,
          usingMetrics: {},
          period: FIVE_MINUTES,
        }),
        ...ok,
      },
      label: `${platform.name} error rate (%)`,
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

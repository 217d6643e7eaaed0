import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ALARM_POLICY, API_METRICS_NAMESPACE } from '../../../infra/constructs/monitoring.js';
import { WEBHOOK_ROUTES, webhookRouteKey, type WebhookRouteName } from '../../../shared/config/resources.js';
import { ref } from '../support.js';
import { prefix, settings, template } from './stack-setup.js';

describe('webhook routes, from the access log', () => {
  const accessLogs = ref(Object.keys(template.findResources('AWS::Logs::LogGroup')).find((id) => id.startsWith('WebhooksAccessLogs'))!);

  it('counts requests, 4xx, 5xx and latency per route', () => {
    const filters = Object.values(template.findResources('AWS::Logs::MetricFilter')).map((f) => f.Properties);
    expect(filters.map((f) => [f.FilterPattern, f.MetricTransformations[0].MetricName, f.MetricTransformations[0].MetricValue])).toEqual([
      ['{ $.status >= 100 }', 'Requests', '1'],
      ['{ $.status >= 400 && $.status < 500 }', '4xx', '1'],
      ['{ $.status >= 500 }', '5xx', '1'],
      ['{ $.responseLatency >= 0 }', 'Latency', '$.responseLatency'],
    ]);
    for (const filter of filters) {
      expect(filter.LogGroupName).toEqual(accessLogs);
      expect(filter.MetricTransformations[0]).toMatchObject({ MetricNamespace: API_METRICS_NAMESPACE, Dimensions: [{ Key: 'route', Value: '$.routeKey' }] });
    }
  });

  it.each(Object.keys(WEBHOOK_ROUTES) as WebhookRouteName[])('%s: 5xx rate, 4xx rate and p99 latency alarms', (name) => {
    const route = webhookRouteKey(name);
    const alarm = (suffix: string) => `${prefix}-webhook-${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}-${suffix}`;
    const routeMetric = (id: string, metricName: string) =>
      Match.objectLike({ Id: id, MetricStat: Match.objectLike({ Metric: { Namespace: API_METRICS_NAMESPACE, MetricName: metricName, Dimensions: [{ Name: 'route', Value: route }] }, Stat: 'Sum' }) });
    for (const [suffix, metricName, threshold, periods] of [
      ['5xx-rate', '5xx', ALARM_POLICY.webhook5xxRatePercent, 2],
      ['4xx-rate', '4xx', ALARM_POLICY.webhook4xxRatePercent, 3],
    ] as const) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: alarm(suffix),
        Threshold: threshold,
        EvaluationPeriods: periods,
        Metrics: Match.arrayWith([
          Match.objectLike({ Expression: `IF(FILL(requests, 0) >= ${ALARM_POLICY.webhookMinRequests}, 100 * FILL(errors, 0) / requests, 0)`, ReturnData: true }),
          routeMetric('requests', 'Requests'),
          routeMetric('errors', metricName),
        ]),
      });
    }
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: alarm('latency-p99'),
      Namespace: API_METRICS_NAMESPACE,
      MetricName: 'Latency',
      Dimensions: [{ Name: 'route', Value: route }],
      ExtendedStatistic: 'p99',
      Threshold: settings.webhooks.routes[name].latencyP99Ms,
      EvaluationPeriods: ALARM_POLICY.webhookLatencyPeriods,
    });
  });
});

describe('webhook function alarms', () => {
  it.each(['card91-auth-webhook', 'courier-webhook'])('%s: errors and throttles', (service) => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: `${prefix}-${service}-errors`, MetricName: 'Errors' });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: `${prefix}-${service}-throttles`, MetricName: 'Throttles' });
  });
});

import { MathExpression, type Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { FilterPattern, MetricFilter } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { METRICS_NAMESPACE } from '../../shared/observability/telemetry.js';
import { ALARM_POLICY, FIVE_MINUTES } from './alarm-policy.js';
import type { WebhookApi } from './webhook-api.js';

/** Namespace of the per-route API figures read from the access log (API Gateway's own metrics carry no route unless detailed metrics are bought). */
export const API_METRICS_NAMESPACE = `${METRICS_NAMESPACE}/WebhookApi`;

/** One route's figures over 5 minutes. */
export interface RouteMetrics {
  requests: Metric;
  clientErrors: Metric;
  serverErrors: Metric;
  latencyP99: Metric;
  /** 5xx in percent of the route's requests (0 below ALARM_POLICY.webhookMinRequests). */
  serverErrorRate: MathExpression;
  /** 4xx in percent of the route's requests (0 below ALARM_POLICY.webhookMinRequests). */
  clientErrorRate: MathExpression;
}

/**
 * The webhook API's figures, route by route, read from its access log by metric filters (dimension
 * `route`, from the log line's routeKey: webhook-api.ts): no paid detailed metrics needed.
 */
export class WebhookRouteMetrics {
  private readonly filters: Record<'requests' | 'clientErrors' | 'serverErrors' | 'latency', MetricFilter>;

  /** Adds the access log's metric filters to `scope`. */
  constructor(scope: Construct, api: WebhookApi) {
    const metric = (id: string, metricName: string, pattern: string, value: string) =>
      new MetricFilter(scope, id, {
        logGroup: api.accessLogs,
        filterPattern: FilterPattern.literal(pattern),
        metricNamespace: API_METRICS_NAMESPACE,
        metricName,
        metricValue: value,
        dimensions: { route: '$.routeKey' },
      });
    this.filters = {
      requests: metric('ApiRequestsFilter', 'Requests', '{ $.status >= 100 }', '1'),
      clientErrors: metric('Api4xxFilter', '4xx', '{ $.status >= 400 && $.status < 500 }', '1'),
      serverErrors: metric('Api5xxFilter', '5xx', '{ $.status >= 500 }', '1'),
      latency: metric('ApiLatencyFilter', 'Latency', '{ $.responseLatency >= 0 }', '$.responseLatency'),
    };
  }

  /** The figures of one route (its route key, `POST /couriers/{courier}/events`). */
  forRoute(route: string): RouteMetrics {
    const of = (filter: MetricFilter, statistic = 'Sum') => filter.metric({ dimensionsMap: { route }, statistic, period: FIVE_MINUTES });
    const requests = of(this.filters.requests);
    const rate = (errors: MetricFilter, label: string) =>
      new MathExpression({
        expression: `IF(FILL(requests, 0) >= ${ALARM_POLICY.webhookMinRequests}, 100 * FILL(errors, 0) / requests, 0)`,
        usingMetrics: { requests, errors: of(errors) },
        label,
        period: FIVE_MINUTES,
      });
    return {
      serverErrorRate: rate(this.filters.serverErrors, `${route} 5xx (%)`),
      clientErrorRate: rate(this.filters.clientErrors, `${route} 4xx (%)`),
      latencyP99: of(this.filters.latency, 'p99'),
      requests,
      clientErrors: of(this.filters.clientErrors),
      serverErrors: of(this.filters.serverErrors),
    };
  }
}

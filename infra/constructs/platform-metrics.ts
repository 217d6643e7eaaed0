import { MathExpression, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { DEFAULT_TIMEOUTS_MS } from '../../shared/dcms/client.js';
import { METRICS_NAMESPACE } from '../../shared/observability/telemetry.js';
import { ALARM_POLICY, FIVE_MINUTES } from './alarm-policy.js';

/** The platforms workers call, as their EMF metrics name them (shared/observability, shared/worker/card91-runtime.ts). */
export const PLATFORMS = {
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

/**
 * A Metrics Insights query over one EMF metric of the namespace, whatever its dimension set;
 * CloudWatch allows one such query per widget or alarm.
 */
export const insights = (aggregate: 'SUM' | 'AVG', metricName: string, where: string, groupBy?: string): MathExpression =>
  new MathExpression({
    expression: `SELECT ${aggregate}(${metricName}) FROM "${METRICS_NAMESPACE}" WHERE ${where}${groupBy ? ` GROUP BY ${groupBy}` : ''}`,
    usingMetrics: {},
    // Empty: each grouped series keeps its own label (the outcome, the endpoint).
    label: '',
    period: FIVE_MINUTES,
  });

/**
 * Percentage of a platform's calls that did not answer a plain `200` (DCMS: `<status>:<code>`,
 * TIMEOUT, NETWORK; Card91: the status, `timeout`, `network`), over 5 minutes. The errors come from
 * one Metrics Insights query, because their `outcome` values are open-ended; the successes are the
 * `outcome = 200` series of each operation. An alarm may hold one Metrics Insights query and at most
 * 10 metrics (CloudWatch quotas): one query, one series per operation.
 */
export function platformErrorRate(calls: Platform, service: string): MathExpression {
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

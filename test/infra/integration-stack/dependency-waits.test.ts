import { describe, expect, it } from 'vitest';
import { ALARM_POLICY } from '../../../infra/constructs/alarm-policy.js';
import { DEPENDENCY_WAITS_METRIC, METRICS_NAMESPACE } from '../../../shared/observability/telemetry.js';
import { prefix, template } from './stack-setup.js';

describe('records waiting on a dependency (CUS001) piling up', () => {
  it.each(['core-banking-events', 'core-banking-bulk'])('%s: an alarm on the DependencyWaits its workers emit, summed over the backoff cap', (service) => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `${prefix}-${service}-dependency-waits`,
      Namespace: METRICS_NAMESPACE,
      MetricName: DEPENDENCY_WAITS_METRIC,
      Dimensions: [{ Name: 'service', Value: service }],
      Statistic: 'Sum',
      Period: 900,
      Threshold: ALARM_POLICY.dependencyWaits,
      EvaluationPeriods: 2,
      DatapointsToAlarm: 2,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
  });

  it('none for workers whose records wait on nothing', () => {
    const names = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) => (a as { Properties: { AlarmName: string } }).Properties.AlarmName);
    expect(names.filter((n) => n.endsWith('-dependency-waits')).sort()).toEqual([`${prefix}-core-banking-bulk-dependency-waits`, `${prefix}-core-banking-events-dependency-waits`]);
  });
});

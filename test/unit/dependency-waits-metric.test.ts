import { Metrics } from '@aws-lambda-powertools/metrics';
import { describe, expect, it, vi } from 'vitest';
import { DEPENDENCY_WAITS_METRIC, reportOutcome, type OutcomeReport } from '../../shared/observability/telemetry.js';

/** The metric the dependency-waits alarm reads: one per record sent back to wait on another. */
describe('DependencyWaits', () => {
  const emitted = (report: OutcomeReport): string[] => {
    const metrics = new Metrics({ namespace: 'Test', serviceName: 'core-banking-events' });
    const names: string[] = [];
    vi.spyOn(metrics, 'singleMetric').mockImplementation(() => {
      const single = new Metrics({ namespace: 'Test', serviceName: 'core-banking-events' });
      vi.spyOn(single, 'addMetric').mockImplementation((name) => {
        names.push(name);
        return single;
      });
      return single;
    });
    reportOutcome(metrics, undefined, report);
    return names;
  };
  const report = (outcome: OutcomeReport['outcome'], category?: string): OutcomeReport => ({ messageId: 'm', eventType: 'bank.account.opened.v1', outcome, ...(category && { category }) });

  it('counts a record sent back to wait on a dependency', () => {
    expect(emitted(report('retried', 'DependencyNotReady'))).toEqual(['EventsProcessed', DEPENDENCY_WAITS_METRIC]);
  });

  it.each([report('retried', 'Transient'), report('deadLettered', 'Exhausted'), report('succeeded')])('counts nothing else ($outcome $category)', (other) => {
    expect(emitted(other)).toEqual(['EventsProcessed']);
  });
});

import { describe, expect, it, vi } from 'vitest';
import { SetMetrics } from '../../shared/observability/metric-sets.js';
import { DEPENDENCY_WAITS_METRIC, reportOutcome, type OutcomeReport } from '../../shared/observability/telemetry.js';

/** The metric the dependency-waits alarm reads: one per record sent back to wait on another. */
describe('DependencyWaits', () => {
  const emitted = (report: OutcomeReport): string[] => {
    const metrics = new SetMetrics({ namespace: 'Test', serviceName: 'core-banking-events' });
    const names: string[] = [];
    vi.spyOn(metrics, 'addToSet').mockImplementation((_dimensions, name) => void names.push(name));
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

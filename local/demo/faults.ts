import type { FaultSettings } from '../../sandbox/dcms/server.js';

/**
 * DCMS misbehaving at a modest rate during the demo, so retries, reconciliation (a write that
 * took effect although the answer was an error) and throttling all show. Seeded: the same run
 * draws the same faults in the same order.
 */
export const DEMO_FAULTS: FaultSettings = { errorRate: 0.05, commitThenFailRate: 0.02, throttleRate: 0.02, seed: 42 };

export const describeFaults = (faults: FaultSettings): string =>
  [
    faults.errorRate && `${faults.errorRate * 100}% errors`,
    faults.commitThenFailRate && `${faults.commitThenFailRate * 100}% commit-then-fail`,
    faults.throttleRate && `${faults.throttleRate * 100}% 429`,
    faults.hangRate && `${faults.hangRate * 100}% hangs`,
    faults.latencyMs && `+${faults.latencyMs} ms latency`,
  ]
    .filter(Boolean)
    .join(', ') || 'none';

import type { FaultSettings } from '../../sandbox/dcms/server.js';

/**
 * DCMS misbehaving at a modest rate during the demo, so retries, reconciliation (a write that
 * took effect although the answer was an error) and throttling all show. Seeded: the same run
 * draws the same faults in the same order.
 */
export const DEMO_FAULTS: FaultSettings = { errorRate: 0.05, commitThenFailRate: 0.02, throttleRate: 0.02, seed: 42 };

const percent = (rate: number) => `${Math.round(rate * 1_000) / 10}%`;

export const describeFaults = (faults: FaultSettings): string =>
  [
    faults.outage && `${faults.outage.status ?? 503} to everything for ${faults.outage.durationMs / 1_000} s${faults.outage.startAfterMs ? ` from ${faults.outage.startAfterMs / 1_000} s` : ''}`,
    faults.errorRate && `${percent(faults.errorRate)} errors${faults.errorStatus ? ` (${faults.errorStatus})` : ''}`,
    faults.commitThenFailRate && `${percent(faults.commitThenFailRate)} commit-then-${faults.commitThenFailMode === 'drop' ? 'drop' : 'fail'}`,
    faults.commitThenDropRate && `${percent(faults.commitThenDropRate)} commit-then-drop`,
    faults.throttleRate && `${percent(faults.throttleRate)} 429`,
    faults.hangRate && `${percent(faults.hangRate)} hangs`,
    faults.slowCommitRate && `${percent(faults.slowCommitRate)} commits after ${(faults.slowCommitMs ?? 17_000) / 1_000} s`,
    faults.script && `${faults.script.length} scripted`,
    faults.latencyMs && `+${faults.latencyMs} ms latency`,
    faults.endpoints && `on ${faults.endpoints.join(', ')}`,
  ]
    .filter(Boolean)
    .join(', ') || 'none';

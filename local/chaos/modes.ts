import { DEFAULT_SLOW_COMMIT_MS, type DcmsEndpoint, type FaultSettings } from '../../sandbox/dcms/server.js';

export const CHAOS_MODES = ['mix', 'outage', 'slow-commit'] as const;
export type ChaosMode = (typeof CHAOS_MODES)[number];

/** The DCMS calls that change something: the ones a slow commit makes dangerous. */
const WRITES: DcmsEndpoint[] = ['/register', '/registerCard', '/inventory/update/deliveryStatus'];

export interface ModeSettings {
  /** How long the outage drill's DCMS answers 503 to everything. */
  outageSeconds: number;
  /** How long after being sent a slow commit lands. */
  slowCommitMs: number;
}

export const DEFAULT_MODE_SETTINGS: ModeSettings = { outageSeconds: 90, slowCommitMs: DEFAULT_SLOW_COMMIT_MS };

/**
 * The DCMS sandbox's behaviour per mode, seeded:
 * - mix: a sick DCMS as a bank's QA tried it, about 20% of calls failing: 10% 5xx, 5% 429,
 *   3% 5xx after committing, 2% connection dropped after committing, 0.3% committed and answered
 *   after 17 s (on top of the tenant rate limit's own 429s);
 * - outage: 503 to everything for `outageSeconds`, then healthy (each demo phase opens its own window);
 * - slow-commit: 2% of writes committed `slowCommitMs` after being sent.
 */
export function faultsFor(mode: ChaosMode, seed: number, settings: ModeSettings = DEFAULT_MODE_SETTINGS): FaultSettings {
  switch (mode) {
    case 'mix':
      return {
        errorRate: 0.1,
        throttleRate: 0.05,
        commitThenFailRate: 0.03,
        commitThenDropRate: 0.02,
        slowCommitRate: 0.003,
        slowCommitMs: settings.slowCommitMs,
        seed,
      };
    case 'outage':
      return { outage: { durationMs: settings.outageSeconds * 1_000, status: 503 }, seed };
    case 'slow-commit':
      return { slowCommitRate: 0.02, slowCommitMs: settings.slowCommitMs, endpoints: WRITES, seed };
  }
}

import type { ModelConfig } from './check.js';

export interface ExpectedConfig {
  name: string;
  config: ModelConfig;
  /** The verdict the configuration must get: `npm run model` fails when it does not. */
  safe: boolean;
}

/**
 * Production as configured (shared/config/dcms-worker-env.ts SETTLE_WINDOW_SECONDS, the core-banking
 * queue's 60 s function timeout, DEADLINE_MARGIN_MS 3 s + the DCMS client's minAttemptMs 1 s, the
 * fetchKits timeout 5 s), DCMS committing up to 60 s late and clocks within ±2 s, in 2 s ticks.
 */
export const SHIPPED: ModelConfig = { settleSeconds: 120, commitDelaySeconds: 60, skewSeconds: 2, lifeSeconds: 60, marginSeconds: 4, readSeconds: 5, tickSeconds: 2 };

export const MODEL_CONFIGS: readonly ExpectedConfig[] = [
  { name: 'shipped configuration', config: SHIPPED, safe: true },
  // A window shorter than the longest commit, clocks in step: the window alone must be what fails.
  { name: 'settle window shorter than the longest commit', config: { ...SHIPPED, settleSeconds: 40, skewSeconds: 0 }, safe: false },
];

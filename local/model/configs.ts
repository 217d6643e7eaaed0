import type { ModelConfig } from './check.js';

export interface ExpectedConfig {
  name: string;
  config: ModelConfig;
  /** The verdict the configuration must get: `npm run model` fails when it does not. */
  safe: boolean;
}

/**
 * Production as configured (shared/config/dcms-worker-env.ts SETTLE_WINDOW_SECONDS, the core-banking
 * queue's 60 s function timeout, DEADLINE_MARGIN_MS 3 s + the DCMS client's minAttemptMs 1 s),
 * DCMS committing up to 60 s late and clocks within ±2 s, with the protocol of machine.ts. Counted
 * in 6 s ticks, rounded towards danger: window 20 ticks (120 s), commit delay 10 (60 s), skew 1
 * (6 s, not 2), margin 0. The 2 s tick (no rounding of the skew) takes 160 million states and
 * 15 GB: `npm run model -- --tick 2`, not for CI.
 */
export const SHIPPED: ModelConfig = { protocol: 'current', settleSeconds: 120, commitDelaySeconds: 60, skewSeconds: 2, lifeSeconds: 60, marginSeconds: 4, readSeconds: 5, tickSeconds: 6 };

export const MODEL_CONFIGS: readonly ExpectedConfig[] = [
  { name: 'shipped configuration', config: SHIPPED, safe: true },
  // The marker removed after an effect as well as after a refusal: a delivery that read "no marker" before it was written sends again.
  { name: 'marker removed after an effect', config: { ...SHIPPED, protocol: 'marker-cleared' }, safe: false },
  // Window = commit delay + 2 × skew, in exact 2 s ticks: the condition is strict, and the window alone must be what fails.
  { name: 'settle window = commit delay + 2 × skew', config: { ...SHIPPED, settleSeconds: 64, tickSeconds: 2 }, safe: false },
];

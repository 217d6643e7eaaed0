import * as z from 'zod';
import { DCMS_ENDPOINTS, type DcmsEndpoint } from './endpoints.js';
import { seededRandom } from '../seeded-random.js';

export const FAULT_KINDS = ['error', 'hang', 'throttle', 'commitThenFail', 'commitThenDrop'] as const;
/**
 * - error: HTTP 500, nothing applied
 * - hang: never answered; the client has to time out
 * - throttle: HTTP 429 with Retry-After, nothing applied
 * - commitThenFail: applied, then HTTP 500 (the caller cannot tell it took effect)
 * - commitThenDrop: applied, then the socket is destroyed without an answer
 */
export type FaultKind = (typeof FAULT_KINDS)[number];

const rate = z.number().min(0).max(1);

/**
 * Body of `POST /__admin/faults`, also `options.faults` and `setFaults`. Strict, so a misspelt
 * setting fails loudly instead of silently injecting nothing.
 */
export const faultSettingsSchema = z
  .strictObject({
    /** Delay added before every in-scope call is handled. */
    latencyMs: z.number().int().min(0).max(120_000).optional(),
    errorRate: rate.optional(),
    hangRate: rate.optional(),
    throttleRate: rate.optional(),
    commitThenFailRate: rate.optional(),
    /** How `commitThenFailRate` fails: HTTP 500 (default) or a destroyed socket. */
    commitThenFailMode: z.enum(['http500', 'drop']).optional(),
    /** Scope of latency and the rates; default every DCMS path. Scripted faults name their own path. */
    endpoints: z.array(z.enum(DCMS_ENDPOINTS)).optional(),
    /** Deterministic faults: the next `times` calls to `endpoint` get `fault`; entries are used up in order, before any rate applies. */
    script: z
      .array(z.strictObject({ endpoint: z.enum(DCMS_ENDPOINTS), fault: z.enum(FAULT_KINDS), times: z.number().int().min(1) }))
      .optional(),
    /** Seeds the generator behind the rates, so a run with rates is repeatable. */
    seed: z.number().int().optional(),
  })
  .refine(
    (s) => (s.errorRate ?? 0) + (s.hangRate ?? 0) + (s.throttleRate ?? 0) + (s.commitThenFailRate ?? 0) <= 1,
    'errorRate + hangRate + throttleRate + commitThenFailRate must not exceed 1',
  );
export type FaultSettings = z.infer<typeof faultSettingsSchema>;

export interface FaultDecision {
  latencyMs: number;
  fault: FaultKind | null;
}

/** Decides, per call, which fault (if any) the sandbox injects. */
export class FaultInjector {
  private settings: FaultSettings = {};
  private scriptLeft: number[] = [];
  private random: () => number = Math.random;

  constructor(settings: FaultSettings = {}) {
    this.set(settings);
  }

  /** Replaces every setting and restarts the script and the generator. Throws on invalid settings. */
  set(settings: FaultSettings): void {
    this.settings = faultSettingsSchema.parse(settings);
    this.scriptLeft = (this.settings.script ?? []).map((entry) => entry.times);
    this.random = this.settings.seed === undefined ? Math.random : seededRandom(this.settings.seed);
  }

  current(): FaultSettings {
    return this.settings;
  }

  decide(endpoint: DcmsEndpoint): FaultDecision {
    const s = this.settings;
    const inScope = s.endpoints === undefined || s.endpoints.includes(endpoint);
    const latencyMs = inScope ? (s.latencyMs ?? 0) : 0;
    const scripted = this.nextScripted(endpoint);
    if (scripted !== null) return { latencyMs, fault: scripted };
    if (!inScope) return { latencyMs, fault: null };
    return { latencyMs, fault: this.drawRateFault() };
  }

  private nextScripted(endpoint: DcmsEndpoint): FaultKind | null {
    const script = this.settings.script ?? [];
    const index = script.findIndex((entry, i) => entry.endpoint === endpoint && (this.scriptLeft[i] ?? 0) > 0);
    const entry = script[index];
    if (entry === undefined) return null;
    this.scriptLeft[index] = (this.scriptLeft[index] ?? 1) - 1;
    return entry.fault;
  }

  private drawRateFault(): FaultKind | null {
    const s = this.settings;
    const commitThenFail: FaultKind = s.commitThenFailMode === 'drop' ? 'commitThenDrop' : 'commitThenFail';
    const bands: Array<[number, FaultKind]> = [
      [s.errorRate ?? 0, 'error'],
      [s.hangRate ?? 0, 'hang'],
      [s.throttleRate ?? 0, 'throttle'],
      [s.commitThenFailRate ?? 0, commitThenFail],
    ];
    if (bands.every(([probability]) => probability === 0)) return null;
    // One draw per call against cumulative bands: the rates stay exact and mutually exclusive.
    let draw = this.random();
    for (const [probability, fault] of bands) {
      if (draw < probability) return fault;
      draw -= probability;
    }
    return null;
  }
}

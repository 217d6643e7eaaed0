import * as z from 'zod';
import { DCMS_ENDPOINTS, type DcmsEndpoint } from './endpoints.js';
import { seededRandom } from '../seeded-random.js';

export const FAULT_KINDS = ['error', 'hang', 'throttle', 'commitThenFail', 'commitThenDrop', 'slowCommit', 'ackWithoutCommit'] as const;
/**
 * - error: HTTP `errorStatus` (500 by default), nothing applied
 * - hang: never answered; the client has to time out
 * - throttle: HTTP 429 with Retry-After, nothing applied
 * - commitThenFail: applied, then HTTP 500 (the caller cannot tell it took effect)
 * - commitThenDrop: applied, then the socket is destroyed without an answer
 * - slowCommit: applied `slowCommitMs` after the request was received, and answered then; a client
 *   with a shorter timeout has given up long before, and a read meanwhile finds nothing
 * - ackWithoutCommit: answered as if applied, nothing applied (a lost write). No client can detect
 *   it; only a check against DCMS's own state does. Scripted only, and only for deliveryStatus.
 */
export type FaultKind = (typeof FAULT_KINDS)[number];

const rate = z.number().min(0).max(1);
const errorStatus = z.number().int().min(500).max(599);
const DEFAULT_ERROR_STATUS = 500;
const DEFAULT_OUTAGE_STATUS = 503;
/** A commit this long after the request, as a bank's QA saw from a slow DCMS: longer than every client timeout we use. */
export const DEFAULT_SLOW_COMMIT_MS = 17_000;

const RATE_KEYS = ['errorRate', 'hangRate', 'throttleRate', 'commitThenFailRate', 'commitThenDropRate', 'slowCommitRate'] as const;

/**
 * Body of `POST /__admin/faults`, also `options.faults` and `setFaults`. Strict, so a misspelt
 * setting fails loudly instead of silently injecting nothing.
 */
export const faultSettingsSchema = z
  .strictObject({
    /** Delay added before every in-scope call is handled. */
    latencyMs: z.number().int().min(0).max(120_000).optional(),
    /**
     * Up to this much more delay, drawn uniformly per call (from the seeded generator when `seed` is
     * set): `latencyMs: 150, latencyJitterMs: 150` answers in 150–300 ms, as a loaded DCMS does.
     */
    latencyJitterMs: z.number().int().min(0).max(120_000).optional(),
    errorRate: rate.optional(),
    /** HTTP status of `error` faults, scripted or drawn: 500 by default, 503 for an outage drill. */
    errorStatus: errorStatus.optional(),
    hangRate: rate.optional(),
    throttleRate: rate.optional(),
    commitThenFailRate: rate.optional(),
    /** How `commitThenFailRate` fails: HTTP 500 (default) or a destroyed socket. */
    commitThenFailMode: z.enum(['http500', 'drop']).optional(),
    /** Applied, then the connection dropped: a rate of its own, so a mix can have both kinds of commit-then-fail. */
    commitThenDropRate: rate.optional(),
    slowCommitRate: rate.optional(),
    /** How long after it was received a `slowCommit` call is applied and answered; default 17 000 ms. */
    slowCommitMs: z.number().int().min(0).max(120_000).optional(),
    /**
     * Every in-scope call answered `status` (503 by default), nothing applied, for `durationMs`. The
     * window opens `startAfterMs` after the first in-scope call that follows these settings, so the
     * time a stack needs to boot is not spent in it; then DCMS recovers.
     */
    outage: z
      .strictObject({
        durationMs: z.number().int().min(1).max(3_600_000),
        startAfterMs: z.number().int().min(0).max(3_600_000).optional(),
        status: errorStatus.optional(),
      })
      .optional(),
    /** Scope of latency, the rates and the outage; default every DCMS path. Scripted faults name their own path. */
    endpoints: z.array(z.enum(DCMS_ENDPOINTS)).optional(),
    /** Deterministic faults: the next `times` calls to `endpoint` get `fault`; entries are used up in order, before any rate applies. */
    script: z
      .array(z.strictObject({ endpoint: z.enum(DCMS_ENDPOINTS), fault: z.enum(FAULT_KINDS), times: z.number().int().min(1) }))
      .refine(
        (entries) => entries.every((entry) => entry.fault !== 'ackWithoutCommit' || entry.endpoint === '/inventory/update/deliveryStatus'),
        'ackWithoutCommit applies to /inventory/update/deliveryStatus only',
      )
      .optional(),
    /** Seeds the generator behind the rates, so a run with rates is repeatable. */
    seed: z.number().int().optional(),
  })
  .refine((s) => RATE_KEYS.reduce((sum, key) => sum + (s[key] ?? 0), 0) <= 1, `${RATE_KEYS.join(' + ')} must not exceed 1`);
export type FaultSettings = z.infer<typeof faultSettingsSchema>;

export type FaultDecision =
  | { latencyMs: number; fault: Exclude<FaultKind, 'error' | 'slowCommit'> | null }
  | { latencyMs: number; fault: 'error'; status: number }
  | { latencyMs: number; fault: 'slowCommit'; commitAfterMs: number };

/** Decides, per call, which fault (if any) the sandbox injects. */
export class FaultInjector {
  private settings: FaultSettings = {};
  private scriptLeft: number[] = [];
  private random: () => number = Math.random;
  /** When the outage window opens: set by the first in-scope call after the settings. */
  private outageStartsAt: number | undefined;

  constructor(
    settings: FaultSettings = {},
    private readonly nowMs: () => number = () => performance.now(),
  ) {
    this.set(settings);
  }

  /** Replaces every setting and restarts the script, the generator and the outage clock. Throws on invalid settings. */
  set(settings: FaultSettings): void {
    this.settings = faultSettingsSchema.parse(settings);
    this.scriptLeft = (this.settings.script ?? []).map((entry) => entry.times);
    this.random = this.settings.seed === undefined ? Math.random : seededRandom(this.settings.seed);
    this.outageStartsAt = undefined;
  }

  current(): FaultSettings {
    return this.settings;
  }

  decide(endpoint: DcmsEndpoint): FaultDecision {
    const s = this.settings;
    const inScope = s.endpoints === undefined || s.endpoints.includes(endpoint);
    const latencyMs = inScope ? (s.latencyMs ?? 0) + this.jitter() : 0;
    const scripted = this.nextScripted(endpoint);
    if (scripted !== null) return this.decision(latencyMs, scripted);
    if (!inScope) return { latencyMs, fault: null };
    if (this.inOutage()) return { latencyMs, fault: 'error', status: s.outage?.status ?? DEFAULT_OUTAGE_STATUS };
    return this.decision(latencyMs, this.drawRateFault());
  }

  private decision(latencyMs: number, fault: FaultKind | null): FaultDecision {
    if (fault === 'error') return { latencyMs, fault, status: this.settings.errorStatus ?? DEFAULT_ERROR_STATUS };
    if (fault === 'slowCommit') return { latencyMs, fault, commitAfterMs: this.settings.slowCommitMs ?? DEFAULT_SLOW_COMMIT_MS };
    return { latencyMs, fault };
  }

  private jitter(): number {
    const spread = this.settings.latencyJitterMs ?? 0;
    return spread > 0 ? Math.round(this.random() * spread) : 0;
  }

  private inOutage(): boolean {
    const outage = this.settings.outage;
    if (outage === undefined) return false;
    const now = this.nowMs();
    this.outageStartsAt ??= now + (outage.startAfterMs ?? 0);
    return now >= this.outageStartsAt && now < this.outageStartsAt + outage.durationMs;
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
      [s.commitThenDropRate ?? 0, 'commitThenDrop'],
      [s.slowCommitRate ?? 0, 'slowCommit'],
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

/**
 * Fault settings given as JSON text (a command-line option), validated like `POST /__admin/faults`.
 * Throws one error naming every problem.
 */
export function parseFaultSettingsJson(text: string): FaultSettings {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error('must be a JSON object, e.g. {"errorRate":0.1,"seed":1}');
  }
  const parsed = faultSettingsSchema.safeParse(value);
  if (!parsed.success) {
    throw new Error(parsed.error.issues.map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message)).join('; '));
  }
  return parsed.data;
}

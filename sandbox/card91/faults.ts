/**
 * Fault injection for the Card91 sandbox. Faults apply to `/mctc/...` calls only, never to admin
 * paths or the auth webhook.
 *
 *   error           answer a 5xx (default 503) before doing anything
 *   hang            never answer (the connection is destroyed when the sandbox closes)
 *   throttle        answer 429 with Retry-After before doing anything
 *   commitThenFail  do the work, then answer 500: the write happened, the caller cannot know
 *   commitThenDrop  do the work, then drop the connection without an answer
 *
 * Scripted faults come first: an entry matches a call by method name (`blockCard`), by URL path
 * (`/mctc/v1/customer/login/token`) or by route pattern (`/mctc/v1/customer/card/:cardId/status`),
 * and is used up after `times` matches. The commit faults are only spent on calls whose work
 * succeeded, so a rejected call (401, 400) does not consume them. Random rates draw from a seeded
 * generator, so a run is reproducible.
 */
import * as z from 'zod';
import { seededRandom } from '../seeded-random.js';

const faultKindSchema = z.enum(['error', 'hang', 'throttle', 'commitThenFail', 'commitThenDrop']);
const rate = z.number().min(0).max(1).optional();
const httpErrorStatus = z.number().int().min(500).max(599).optional();

export const scriptedFaultSchema = z.strictObject({
  path: z.string().min(1),
  fault: faultKindSchema,
  times: z.number().int().min(1),
  /** For `error` and `commitThenFail`: the 5xx to answer with. */
  status: httpErrorStatus,
});

/** Strict, so that a misspelt setting fails loudly instead of silently injecting nothing. */
export const sandboxFaultsSchema = z.strictObject({
  latencyMs: z.number().int().min(0).optional(),
  errorRate: rate,
  hangRate: rate,
  throttleRate: rate,
  commitThenFailRate: rate,
  seed: z.number().int().optional(),
  script: z.array(scriptedFaultSchema).optional(),
  /** 5xx for `error` faults without their own status (default 503). */
  errorStatus: httpErrorStatus,
  /** Retry-After on throttled answers, scripted or from the rate limiter (default 1). */
  retryAfterSeconds: z.number().int().min(0).optional(),
});

export type FaultKind = z.infer<typeof faultKindSchema>;
export type ScriptedFault = z.infer<typeof scriptedFaultSchema>;
export type SandboxFaults = z.infer<typeof sandboxFaultsSchema>;

export type PreFault = { kind: 'error'; status: number } | { kind: 'hang' } | { kind: 'throttle' };
export type PostFault = { kind: 'commitThenFail'; status: number } | { kind: 'commitThenDrop' };

const PRE_KINDS: ReadonlySet<FaultKind> = new Set(['error', 'hang', 'throttle']);

export class FaultPlan {
  private readonly script: ScriptedFault[];
  private readonly random: () => number;

  private readonly faults: SandboxFaults;

  /** Throws (ZodError) on invalid settings. */
  constructor(faults: SandboxFaults = {}) {
    this.faults = sandboxFaultsSchema.parse(faults);
    this.script = structuredClone(this.faults.script ?? []);
    this.random = seededRandom(this.faults.seed ?? 91);
  }

  get latencyMs(): number {
    return this.faults.latencyMs ?? 0;
  }

  get retryAfterSeconds(): number {
    return this.faults.retryAfterSeconds ?? 1;
  }

  /** A fault to answer with instead of doing the work. `names`: method name, URL path, route pattern. */
  beforeWork(names: readonly string[]): PreFault | undefined {
    const scripted = this.takeScripted(names, (kind) => PRE_KINDS.has(kind));
    if (scripted !== undefined) return this.toPreFault(scripted);
    if (this.roll(this.faults.hangRate)) return { kind: 'hang' };
    if (this.roll(this.faults.throttleRate)) return { kind: 'throttle' };
    if (this.roll(this.faults.errorRate)) return { kind: 'error', status: this.faults.errorStatus ?? 503 };
    return undefined;
  }

  /** A fault to apply after the work succeeded. */
  afterWork(names: readonly string[]): PostFault | undefined {
    const scripted = this.takeScripted(names, (kind) => !PRE_KINDS.has(kind));
    if (scripted?.fault === 'commitThenDrop') return { kind: 'commitThenDrop' };
    if (scripted !== undefined) return { kind: 'commitThenFail', status: scripted.status ?? 500 };
    if (this.roll(this.faults.commitThenFailRate)) return { kind: 'commitThenFail', status: 500 };
    return undefined;
  }

  private toPreFault(entry: ScriptedFault): PreFault {
    if (entry.fault === 'hang') return { kind: 'hang' };
    if (entry.fault === 'throttle') return { kind: 'throttle' };
    return { kind: 'error', status: entry.status ?? this.faults.errorStatus ?? 503 };
  }

  private takeScripted(names: readonly string[], eligible: (kind: FaultKind) => boolean): ScriptedFault | undefined {
    const index = this.script.findIndex((entry) => eligible(entry.fault) && names.includes(entry.path));
    if (index < 0) return undefined;
    const entry = this.script[index]!;
    entry.times -= 1;
    if (entry.times === 0) this.script.splice(index, 1);
    return entry;
  }

  private roll(probability: number | undefined): boolean {
    return probability !== undefined && probability > 0 && this.random() < probability;
  }
}

import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Which protocol the model follows. `current`: shared/protocol/write-once/machine.ts as it is
 * (the marker is removed only after a refusal); `marker-cleared`: the marker also removed after a
 * send that succeeded or a read that found the card (the gap that keeping it closes); `old`: the
 * protocol before the marker held the call's deadline and became conditional (core-banking-write-old.pml).
 */
export type Protocol = 'current' | 'marker-cleared' | 'old';
export const PROTOCOLS: readonly Protocol[] = ['current', 'marker-cleared', 'old'];

const modelFile = (protocol: Protocol): string => join(import.meta.dirname, protocol === 'old' ? 'core-banking-write-old.pml' : 'core-banking-write.pml');

/** One configuration of the model, in seconds, and the tick the model counts in. */
export interface ModelConfig {
  protocol: Protocol;
  settleSeconds: number;
  commitDelaySeconds: number;
  skewSeconds: number;
  /** Function timeout: an invocation is killed, and its idempotency record expires, this long after it starts. */
  lifeSeconds: number;
  /** No DCMS request starts in the last `marginSeconds` of an invocation (DEADLINE_MARGIN_MS + minAttemptMs). */
  marginSeconds: number;
  /** A read's answer arrives at most this long after DCMS looked (the fetchKits timeout); the old protocol only, the current one counts a read from its start. */
  readSeconds: number;
  tickSeconds: number;
}

export interface ModelVerdict {
  /** The `-D` constants handed to spin, in ticks (CLEAR_AFTER_EFFECT: 1 or 0). */
  defines: Record<string, number>;
  errors: number;
  states: number;
  seconds: number;
  /** The counterexample's printout (`spin -t`), only the protocol's own steps. */
  trail: string[];
}

/**
 * Seconds to ticks, always towards danger: the window rounds down, every delay and the skew round
 * up, the margin rounds down. A configuration proven safe in ticks is then safe in seconds.
 */
export function toTicks(config: ModelConfig): Record<string, number> {
  const down = (seconds: number) => Math.floor(seconds / config.tickSeconds);
  const up = (seconds: number) => Math.ceil(seconds / config.tickSeconds);
  return {
    SETTLE_WINDOW: down(config.settleSeconds),
    MAX_COMMIT_DELAY: up(config.commitDelaySeconds),
    MAX_SKEW: up(config.skewSeconds),
    LIFE: up(config.lifeSeconds),
    MARGIN: down(config.marginSeconds),
    READ_TIME: up(config.readSeconds),
    CLEAR_AFTER_EFFECT: config.protocol === 'marker-cleared' ? 1 : 0,
  };
}

export const spinAvailable = (): boolean => spawnSync('spin', ['-V'], { encoding: 'utf8' }).status === 0;

function run(command: string, args: string[], cwd: string): string {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  return `${result.stdout}${result.stderr}`;
}

/** Generates the verifier for one configuration in a temporary directory, runs it, and reads its verdict. */
export function checkModel(config: ModelConfig): ModelVerdict {
  const defines = toTicks(config);
  const flags = Object.entries(defines).map(([name, value]) => `-D${name}=${value}`);
  const dir = mkdtempSync(join(tmpdir(), 'model-'));
  try {
    copyFileSync(modelFile(config.protocol), join(dir, 'model.pml'));
    const started = Date.now();
    run('spin', ['-a', ...flags, 'model.pml'], dir);
    run('gcc', ['-O2', '-DSAFETY', '-o', 'pan', 'pan.c'], dir);
    if (!existsSync(join(dir, 'pan'))) throw new Error('spin or gcc did not produce the verifier');
    const report = run('./pan', ['-m1000000'], dir);
    const seconds = (Date.now() - started) / 1_000;
    const errors = Number(/errors: (\d+)/.exec(report)?.[1]);
    const states = Number(/(\d+) states, stored/.exec(report)?.[1]);
    if (!Number.isInteger(errors) || !Number.isInteger(states)) throw new Error(`unreadable verifier report:\n${report}`);
    const trail = errors > 0 ? readableTrail(run('spin', ['-t', ...flags, 'model.pml'], dir), config.tickSeconds) : [];
    return { defines, errors, states, seconds, trail };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Keeps the model's own printouts (`t=…`) and the failed assertion; drops spin's dump of every
 * variable. Times (`t=<ticks>`) are shown in seconds.
 */
function readableTrail(output: string, tickSeconds: number): string[] {
  return output
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('t=') || line.includes('assertion violated'))
    .map((line) => line.replace(/t=(-?\d+)/g, (_, ticks: string) => `t=${Number(ticks) * tickSeconds}s`));
}

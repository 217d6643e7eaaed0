/**
 * The order protocol of one FIFO message group within one batch, as a pure state machine: the
 * records of a group (one customer's core-banking events, one card's controls) are taken one after
 * the other, and a record that must wait holds back the rest of its group, so a card's controls
 * apply in the order the bank sent them. Two kinds of wait step aside instead: a record waiting on
 * a dependency its own group may bring (an account whose customer is behind it) moves to the back
 * of the group; a moved copy that comes back before it is due moves again when others wait behind
 * it, and is held until due when it is alone. `decide` does no I/O and reads no clock: the driver
 * (shared/worker/record-batch.ts, and the fleet simulator) observes and acts.
 */

import type { MachineStep, Transitions } from '../machine.js';

export type Observation =
  /** The record at the current index, as received: when it is due (a moved copy), and the time. */
  | { kind: 'inspected'; dueAt: number | undefined; now: number }
  | { kind: 'applied' }
  | { kind: 'deadLettered' }
  /** Failed and settled for a retry; `waitsOnDependency`: DependencyNotReady. */
  | { kind: 'retryLater'; waitsOnDependency: boolean; delaySeconds: number; now: number }
  /** Failed and could not even be settled: SQS redelivers it after the queue's visibility timeout. */
  | { kind: 'unsettled' }
  | { kind: 'moved' }
  | { kind: 'moveFailed' };

/**
 * `fail`: the records from `failFrom` on are reported as batch item failures; those from
 * `delay.from` on are made visible again after `delay.seconds` (the failed head already was, by its
 * settlement). The others of the group were applied, dead-lettered or moved.
 */
export interface GroupEnd {
  /** Records that failed on their own without holding back the group (only with `holdBackOnFailure` off). */
  failed?: readonly number[];
  failFrom?: number;
  delay?: { from: number; seconds: number };
}

export type Action = { kind: 'inspect'; index: number } | { kind: 'process'; index: number } | { kind: 'moveToBack'; index: number; dueAt: number } | { kind: 'finish'; end: GroupEnd };

interface Position {
  index: number;
  size: number;
  /** Records that failed without holding back the group (only with `holdBackOnFailure` off). */
  failed: readonly number[];
}

export type State = ({ at: 'inspecting' } & Position) | ({ at: 'processing' } & Position) | ({ at: 'moving'; dueAt: number; now: number } & Position) | { at: 'finished' };

export type StateName = State['at'];

export interface GroupConfig {
  /** Off only in the simulator, to prove the order protocol matters: a failed record no longer holds back its group. */
  holdBackOnFailure: boolean;
}

/** Every transition the machine can take: the state diagram, as data. */
export const TRANSITIONS: Transitions<StateName, Observation['kind']> = [
  ['inspecting', 'inspected', 'processing'],
  ['inspecting', 'inspected', 'moving'],
  ['inspecting', 'inspected', 'finished'],
  ['processing', 'applied', 'inspecting'],
  ['processing', 'applied', 'finished'],
  ['processing', 'deadLettered', 'inspecting'],
  ['processing', 'deadLettered', 'finished'],
  ['processing', 'retryLater', 'moving'],
  ['processing', 'retryLater', 'inspecting'],
  ['processing', 'retryLater', 'finished'],
  ['processing', 'unsettled', 'inspecting'],
  ['processing', 'unsettled', 'finished'],
  ['moving', 'moved', 'inspecting'],
  ['moving', 'moved', 'finished'],
  ['moving', 'moveFailed', 'finished'],
];

export type Step = MachineStep<State, Action>;

const finish = (failed: readonly number[], end: GroupEnd): Step => ({
  state: { at: 'finished' },
  action: { kind: 'finish', end: failed.length > 0 ? { ...end, failed } : end },
});
const seconds = (untilMs: number, now: number): number => Math.max(1, Math.ceil((untilMs - now) / 1_000));

/** The first step of a group of `size` records. */
export const start = (size: number): Step => (size === 0 ? finish([], {}) : { state: { at: 'inspecting', index: 0, size, failed: [] }, action: { kind: 'inspect', index: 0 } });

/** On to the record after the current one, or the end of the group. */
const next = ({ index, size, failed }: Position): Step =>
  index + 1 >= size ? finish(failed, {}) : { state: { at: 'inspecting', index: index + 1, size, failed }, action: { kind: 'inspect', index: index + 1 } };

function unexpected(state: State, observation: Observation): never {
  throw new Error(`FIFO group protocol: no transition from ${state.at} on ${observation.kind}`);
}

export function decide(config: GroupConfig, state: State, observation: Observation): Step {
  switch (state.at) {
    case 'inspecting': {
      if (observation.kind !== 'inspected') return unexpected(state, observation);
      const { index, size, failed } = state;
      if (observation.dueAt === undefined || observation.dueAt <= observation.now) return { state: { ...state, at: 'processing' }, action: { kind: 'process', index } };
      // Back before it is due: not attempted (no platform call, no attempt counted).
      if (index + 1 < size) return { state: { ...state, at: 'moving', dueAt: observation.dueAt, now: observation.now }, action: { kind: 'moveToBack', index, dueAt: observation.dueAt } };
      return finish(failed, { failFrom: index, delay: { from: index, seconds: seconds(observation.dueAt, observation.now) } });
    }
    case 'processing': {
      const { index, size, failed } = state;
      switch (observation.kind) {
        case 'applied':
        case 'deadLettered':
          return next(state);
        case 'retryLater': {
          const dueAt = observation.now + observation.delaySeconds * 1_000;
          if (observation.waitsOnDependency) return { state: { ...state, at: 'moving', dueAt, now: observation.now }, action: { kind: 'moveToBack', index, dueAt } };
          if (!config.holdBackOnFailure) return next({ index, size, failed: [...failed, index] });
          // The rest of the group comes back with it, when it is due: a card's later controls never overtake it.
          return finish(failed, { failFrom: index, ...(index + 1 < size && { delay: { from: index + 1, seconds: observation.delaySeconds } }) });
        }
        case 'unsettled':
          if (!config.holdBackOnFailure) return next({ index, size, failed: [...failed, index] });
          return finish(failed, { failFrom: index });
        default:
          return unexpected(state, observation);
      }
    }
    case 'moving': {
      if (observation.kind === 'moved') return next(state);
      if (observation.kind !== 'moveFailed') return unexpected(state, observation);
      // The copy could not be queued: the record holds its group instead, until it is due.
      return finish(state.failed, { failFrom: state.index, delay: { from: state.index, seconds: seconds(state.dueAt, state.now) } });
    }
    case 'finished':
      return unexpected(state, observation);
  }
}

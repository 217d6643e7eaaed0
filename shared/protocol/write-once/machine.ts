/**
 * The write-once protocol, as one pure state machine: how a write that must never happen twice
 * (DCMS `/register`, `/registerCard`, a Card91 state change) is sent at most once in effect,
 * whichever delivery, instance or retry carries it. `decide` does no I/O, reads no clock and no
 * randomness: every fact arrives as an observation, and every effect leaves as an action that the
 * driver (`run.ts`) performs through its ports. Lambda, the local stack and the fleet simulator run
 * this machine; docs/RELIABILITY.md draws it, and a test holds the drawing to `TRANSITIONS`.
 *
 *   marker      the write-ahead marker: the latest instant a send whose outcome is unknown may
 *               have left (its call's deadline: the rate limiter and in-call retries of a 429 can
 *               hold a request until then), stored before the request may leave, with a
 *               condition on what was read, so two deliveries never both send; a delivery that
 *               finds one reads first
 *   read        the platform's own state (`/kit-manager/fetchKitsByEntityId`, `/viewCustomer`, the card)
 *               The marker stays once the write succeeded or was found (a removed marker would let a
 *               delivery that read "no marker" before it was written write its own and send again);
 *               only a refusal, after which nothing can commit, removes it. TTL removes the rest.
 *   settle      nothing is sent again until `settleWindowMs` has passed since that instant and a
 *               read, started after it, still shows nothing: a request the platform was only slow
 *               to commit is found. Safe while the window exceeds the longest commit delay plus
 *               twice the clock skew between instances (local/model: the checked model).
 */

import type { MachineStep, Transitions } from '../machine.js';

export interface WriteOnceConfig {
  /** How long an unknown-outcome send may still commit; 0 when the write has no settle window (Card91). */
  settleWindowMs: number;
  /** Whether sends leave a durable marker first (DCMS writes). Off only in the simulator, to prove it matters. */
  writeAheadMarker: boolean;
}

/** Why a delivery must read before it may send. */
export interface Begin {
  kind: 'begin';
  /** An earlier delivery may have sent (a redelivery, a redrive, a tenant that issues outside us). */
  checkFirst: boolean;
  now: number;
  /** The latest instant this run's request may leave: its call's deadline. */
  leaveBy: number;
}

export type Observation =
  | Begin
  | { kind: 'markerRead'; lastSentAt: number | undefined; now: number }
  /** `now`: when the read started (the platform's state is at least that recent). */
  | { kind: 'readDone'; found: boolean; now: number }
  | { kind: 'markerWritten'; now: number }
  /** The marker changed since it was read: another delivery is sending. */
  | { kind: 'markerTaken'; now: number }
  | { kind: 'sent' }
  /** `unknown`: the request may have reached the platform; `alreadyDone`: the platform says the effect exists. */
  | { kind: 'sendFailed'; unknown: boolean; alreadyDone: boolean; now: number }
  | { kind: 'markerCleared' };

export type Action =
  | { kind: 'readMarker' }
  | { kind: 'read' }
  /** Written only if the marker still holds `expected` (absent when undefined). */
  | { kind: 'writeMarker'; sentAt: number; expected: number | undefined }
  | { kind: 'send' }
  /** Removed only if it still holds `sentAt`: another delivery's marker is never removed. */
  | { kind: 'clearMarker'; sentAt: number }
  | { kind: 'finish'; how: Finish };

/** How a run ends. `retryAt`: epoch ms before which no delivery may send (a settle window's end). */
export type Finish =
  { kind: 'sent' } | { kind: 'found' } | { kind: 'refused' } | { kind: 'settling'; code: 'SETTLING' | 'UNKNOWN_OUTCOME' | 'SEND_IN_PROGRESS'; retryAt: number | undefined } | { kind: 'notConfirmed' };

export type State =
  | { at: 'idle' }
  | { at: 'checkingMarker'; checkFirst: boolean; leaveBy: number }
  | { at: 'readingFirst'; lastSentAt: number | undefined; leaveBy: number }
  | { at: 'markingSend'; sentAt: number }
  | { at: 'sending'; sentAt: number; marked: boolean }
  /** `failedAt`: when the send's failure was seen; the request left before then. */
  | { at: 'readingAfter'; sentAt: number; failedAt: number; alreadyDone: boolean; marked: boolean }
  | { at: 'tighteningMarker'; sentAt: number; failedAt: number }
  | { at: 'clearing'; then: Finish }
  | { at: 'finished'; how: Finish };

export type StateName = State['at'];

/** Every transition the machine can take: the state diagram, as data. */
export const TRANSITIONS: Transitions<StateName, Observation['kind']> = [
  ['idle', 'begin', 'checkingMarker'],
  ['idle', 'begin', 'readingFirst'],
  ['idle', 'begin', 'sending'],
  ['checkingMarker', 'markerRead', 'readingFirst'],
  ['checkingMarker', 'markerRead', 'markingSend'],
  ['readingFirst', 'readDone', 'finished'],
  ['readingFirst', 'readDone', 'markingSend'],
  ['readingFirst', 'readDone', 'sending'],
  ['markingSend', 'markerWritten', 'sending'],
  ['markingSend', 'markerTaken', 'finished'],
  ['sending', 'sent', 'finished'],
  ['sending', 'sendFailed', 'clearing'],
  ['sending', 'sendFailed', 'finished'],
  ['sending', 'sendFailed', 'readingAfter'],
  ['readingAfter', 'readDone', 'finished'],
  ['readingAfter', 'readDone', 'tighteningMarker'],
  ['tighteningMarker', 'markerWritten', 'finished'],
  ['tighteningMarker', 'markerTaken', 'finished'],
  ['clearing', 'markerCleared', 'finished'],
];

export type Step = MachineStep<State, Action>;

export const initialState = (): State => ({ at: 'idle' });

const finish = (how: Finish): Step => ({ state: { at: 'finished', how }, action: { kind: 'finish', how } });
/** Ends with `then`, after removing the marker holding `marker`, when this run wrote one. */
const endClearing = (marker: number | undefined, then: Finish): Step => (marker !== undefined ? { state: { at: 'clearing', then }, action: { kind: 'clearMarker', sentAt: marker } } : finish(then));

/** The send of a run whose request may leave until `leaveBy`, over the marker read as `expected`. */
function startSend(config: WriteOnceConfig, leaveBy: number, expected: number | undefined): Step {
  if (config.writeAheadMarker) return { state: { at: 'markingSend', sentAt: leaveBy }, action: { kind: 'writeMarker', sentAt: leaveBy, expected } };
  return { state: { at: 'sending', sentAt: leaveBy, marked: false }, action: { kind: 'send' } };
}

function unexpected(state: State, observation: Observation): never {
  throw new Error(`write-once protocol: no transition from ${state.at} on ${observation.kind}`);
}

/** One step of the protocol: the next state and the one action the driver performs next. */
export function decide(config: WriteOnceConfig, state: State, observation: Observation): Step {
  switch (state.at) {
    case 'idle': {
      if (observation.kind !== 'begin') return unexpected(state, observation);
      const { checkFirst, leaveBy } = observation;
      if (config.writeAheadMarker) return { state: { at: 'checkingMarker', checkFirst, leaveBy }, action: { kind: 'readMarker' } };
      if (checkFirst) return { state: { at: 'readingFirst', lastSentAt: undefined, leaveBy }, action: { kind: 'read' } };
      return startSend(config, leaveBy, undefined);
    }
    case 'checkingMarker': {
      if (observation.kind !== 'markerRead') return unexpected(state, observation);
      const { lastSentAt } = observation;
      if (state.checkFirst || lastSentAt !== undefined) return { state: { at: 'readingFirst', lastSentAt, leaveBy: state.leaveBy }, action: { kind: 'read' } };
      return startSend(config, state.leaveBy, undefined);
    }
    case 'readingFirst': {
      if (observation.kind !== 'readDone') return unexpected(state, observation);
      if (observation.found) return finish({ kind: 'found' });
      const settlesAt = state.lastSentAt === undefined ? undefined : state.lastSentAt + config.settleWindowMs;
      // An earlier send may still commit: wait for it rather than risk a second effect. The read
      // counts from when it started, the platform's state being no older than that.
      if (settlesAt !== undefined && observation.now < settlesAt) return finish({ kind: 'settling', code: 'SETTLING', retryAt: settlesAt });
      return startSend(config, state.leaveBy, state.lastSentAt);
    }
    case 'markingSend': {
      // Another delivery marked its own send since our read: it goes first, we come back.
      if (observation.kind === 'markerTaken') return finish({ kind: 'settling', code: 'SEND_IN_PROGRESS', retryAt: undefined });
      if (observation.kind !== 'markerWritten') return unexpected(state, observation);
      return { state: { at: 'sending', sentAt: state.sentAt, marked: true }, action: { kind: 'send' } };
    }
    case 'sending': {
      if (observation.kind === 'sent') return finish({ kind: 'sent' });
      if (observation.kind !== 'sendFailed') return unexpected(state, observation);
      // Refused, or never sent (4xx, 429, an open circuit, no time left): nothing can commit later.
      if (!observation.unknown && !observation.alreadyDone) return endClearing(state.marked ? state.sentAt : undefined, { kind: 'refused' });
      // Never sent twice in one run: the platform is read instead.
      return {
        state: { at: 'readingAfter', sentAt: state.sentAt, failedAt: Math.min(state.sentAt, observation.now), alreadyDone: observation.alreadyDone, marked: state.marked },
        action: { kind: 'read' },
      };
    }
    case 'readingAfter': {
      if (observation.kind !== 'readDone') return unexpected(state, observation);
      if (observation.found) return finish({ kind: 'found' });
      // "Already exists", yet the read shows nothing: not trusted, an operator decides.
      if (state.alreadyDone) return finish({ kind: 'notConfirmed' });
      if (config.settleWindowMs === 0) return finish({ kind: 'settling', code: 'UNKNOWN_OUTCOME', retryAt: undefined });
      // The request left before its failure was seen, usually long before the call's deadline the
      // marker holds: the marker is brought forward to that instant, so the window ends sooner.
      if (state.marked && state.failedAt < state.sentAt) {
        return { state: { at: 'tighteningMarker', sentAt: state.sentAt, failedAt: state.failedAt }, action: { kind: 'writeMarker', sentAt: state.failedAt, expected: state.sentAt } };
      }
      return finish({ kind: 'settling', code: 'UNKNOWN_OUTCOME', retryAt: (state.marked ? state.sentAt : state.failedAt) + config.settleWindowMs });
    }
    case 'tighteningMarker': {
      // The marker stays: every later delivery reads first and waits out the window from it.
      if (observation.kind === 'markerWritten') return finish({ kind: 'settling', code: 'UNKNOWN_OUTCOME', retryAt: state.failedAt + config.settleWindowMs });
      if (observation.kind !== 'markerTaken') return unexpected(state, observation);
      return finish({ kind: 'settling', code: 'UNKNOWN_OUTCOME', retryAt: state.sentAt + config.settleWindowMs });
    }
    case 'clearing': {
      if (observation.kind !== 'markerCleared') return unexpected(state, observation);
      return finish(state.then);
    }
    case 'finished':
      return unexpected(state, observation);
  }
}

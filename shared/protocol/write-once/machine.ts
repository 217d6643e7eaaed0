/**
 * The write-once protocol, as one pure state machine: how a write that must never happen twice
 * (DCMS `/register`, `/registerCard`, a Card91 state change) is sent at most once in effect,
 * whichever delivery, instance or retry carries it. `decide` does no I/O, reads no clock and no
 * randomness: every fact arrives as an observation, and every effect leaves as an action that the
 * driver (`run.ts`) performs through its ports. Lambda, the local stack and the fleet simulator run
 * this machine; docs/RELIABILITY.md draws it, and a test holds the drawing to `TRANSITIONS`.
 *
 *   marker      the write-ahead marker: the time of the last send whose outcome is unknown,
 *               stored before the request leaves; a delivery that finds one reads first
 *   read        the platform's own state (`/kit-manager/fetchKitsByEntityId`, `/viewCustomer`, the card)
 *   settle      nothing is sent again until `settleWindowMs` has passed since the marked send and a
 *               read still shows nothing: a request the platform was only slow to commit is found
 */

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
}

export type Observation =
  | Begin
  | { kind: 'markerRead'; lastSentAt: number | undefined; now: number }
  | { kind: 'readDone'; found: boolean; now: number }
  | { kind: 'markerWritten'; now: number }
  | { kind: 'sent' }
  /** `unknown`: the request may have reached the platform; `alreadyDone`: the platform says the effect exists. */
  | { kind: 'sendFailed'; unknown: boolean; alreadyDone: boolean; now: number }
  | { kind: 'markerCleared' };

export type Action =
  | { kind: 'readMarker' }
  | { kind: 'read' }
  | { kind: 'writeMarker'; sentAt: number }
  | { kind: 'send' }
  | { kind: 'clearMarker' }
  | { kind: 'finish'; how: Finish };

/** How a run ends. `retryAt`: epoch ms before which no delivery may send (a settle window's end). */
export type Finish =
  | { kind: 'sent' }
  | { kind: 'found' }
  | { kind: 'refused' }
  | { kind: 'settling'; code: 'SETTLING' | 'UNKNOWN_OUTCOME'; retryAt: number | undefined }
  | { kind: 'notConfirmed' };

export type State =
  | { at: 'idle'; checkFirst: boolean }
  | { at: 'checkingMarker'; checkFirst: boolean }
  | { at: 'readingFirst'; lastSentAt: number | undefined }
  | { at: 'markingSend'; sentAt: number }
  | { at: 'sending'; sentAt: number; marked: boolean }
  | { at: 'readingAfter'; sentAt: number; alreadyDone: boolean; marked: boolean }
  | { at: 'clearing'; then: Finish }
  | { at: 'finished'; how: Finish };

export type StateName = State['at'];

/** Every transition the machine can take: the state diagram, as data. */
export const TRANSITIONS: ReadonlyArray<readonly [StateName, Observation['kind'], StateName]> = [
  ['idle', 'begin', 'checkingMarker'],
  ['idle', 'begin', 'readingFirst'],
  ['idle', 'begin', 'sending'],
  ['checkingMarker', 'markerRead', 'readingFirst'],
  ['checkingMarker', 'markerRead', 'markingSend'],
  ['readingFirst', 'readDone', 'clearing'],
  ['readingFirst', 'readDone', 'finished'],
  ['readingFirst', 'readDone', 'markingSend'],
  ['readingFirst', 'readDone', 'sending'],
  ['markingSend', 'markerWritten', 'sending'],
  ['sending', 'sent', 'clearing'],
  ['sending', 'sent', 'finished'],
  ['sending', 'sendFailed', 'clearing'],
  ['sending', 'sendFailed', 'finished'],
  ['sending', 'sendFailed', 'readingAfter'],
  ['readingAfter', 'readDone', 'clearing'],
  ['readingAfter', 'readDone', 'finished'],
  ['clearing', 'markerCleared', 'finished'],
];

export interface Step {
  state: State;
  action: Action;
}

export const initialState = (): State => ({ at: 'idle', checkFirst: false });

const finish = (how: Finish): Step => ({ state: { at: 'finished', how }, action: { kind: 'finish', how } });
/** Ends with `then`, after removing the marker when one was written or found. */
const endClearing = (marked: boolean, then: Finish): Step => (marked ? { state: { at: 'clearing', then }, action: { kind: 'clearMarker' } } : finish(then));

function startSend(config: WriteOnceConfig, now: number): Step {
  if (config.writeAheadMarker) return { state: { at: 'markingSend', sentAt: now }, action: { kind: 'writeMarker', sentAt: now } };
  return { state: { at: 'sending', sentAt: now, marked: false }, action: { kind: 'send' } };
}

function unexpected(state: State, observation: Observation): never {
  throw new Error(`write-once protocol: no transition from ${state.at} on ${observation.kind}`);
}

/** One step of the protocol: the next state and the one action the driver performs next. */
export function decide(config: WriteOnceConfig, state: State, observation: Observation): Step {
  switch (state.at) {
    case 'idle': {
      if (observation.kind !== 'begin') return unexpected(state, observation);
      if (config.writeAheadMarker) return { state: { at: 'checkingMarker', checkFirst: observation.checkFirst }, action: { kind: 'readMarker' } };
      if (observation.checkFirst) return { state: { at: 'readingFirst', lastSentAt: undefined }, action: { kind: 'read' } };
      return startSend(config, observation.now);
    }
    case 'checkingMarker': {
      if (observation.kind !== 'markerRead') return unexpected(state, observation);
      const { lastSentAt } = observation;
      if (state.checkFirst || lastSentAt !== undefined) return { state: { at: 'readingFirst', lastSentAt }, action: { kind: 'read' } };
      return startSend(config, observation.now);
    }
    case 'readingFirst': {
      if (observation.kind !== 'readDone') return unexpected(state, observation);
      if (observation.found) return endClearing(state.lastSentAt !== undefined, { kind: 'found' });
      const settlesAt = state.lastSentAt === undefined ? undefined : state.lastSentAt + config.settleWindowMs;
      // An earlier send may still commit: wait for it rather than risk a second effect.
      if (settlesAt !== undefined && observation.now < settlesAt) return finish({ kind: 'settling', code: 'SETTLING', retryAt: settlesAt });
      return startSend(config, observation.now);
    }
    case 'markingSend': {
      if (observation.kind !== 'markerWritten') return unexpected(state, observation);
      return { state: { at: 'sending', sentAt: state.sentAt, marked: true }, action: { kind: 'send' } };
    }
    case 'sending': {
      if (observation.kind === 'sent') return endClearing(state.marked, { kind: 'sent' });
      if (observation.kind !== 'sendFailed') return unexpected(state, observation);
      // Refused, or never sent (4xx, 429, an open circuit, no time left): nothing can commit later.
      if (!observation.unknown && !observation.alreadyDone) return endClearing(state.marked, { kind: 'refused' });
      // Never sent twice in one run: the platform is read instead.
      return { state: { at: 'readingAfter', sentAt: state.sentAt, alreadyDone: observation.alreadyDone, marked: state.marked }, action: { kind: 'read' } };
    }
    case 'readingAfter': {
      if (observation.kind !== 'readDone') return unexpected(state, observation);
      if (observation.found) return endClearing(state.marked, { kind: 'found' });
      // "Already exists", yet the read shows nothing: not trusted, an operator decides.
      if (state.alreadyDone) return endClearing(state.marked, { kind: 'notConfirmed' });
      // The marker stays: every later delivery reads first and waits out the window from this send.
      const retryAt = config.settleWindowMs > 0 ? state.sentAt + config.settleWindowMs : undefined;
      return finish({ kind: 'settling', code: 'UNKNOWN_OUTCOME', retryAt });
    }
    case 'clearing': {
      if (observation.kind !== 'markerCleared') return unexpected(state, observation);
      return finish(state.then);
    }
    case 'finished':
      return unexpected(state, observation);
  }
}

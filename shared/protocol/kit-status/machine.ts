/**
 * The courier-status protocol of one scan (one kit's status at one instant), as a pure state
 * machine: so that a kit's final status in DCMS is its newest scan, whatever the interleaving of
 * instances, duplicates, redeliveries and late commits.
 *
 *   claim event   the scan's idempotency record: a duplicate is answered from it
 *   claim kit     one conditional write takes the kit's newest-scan mark and its send lock: an older
 *                 scan is stale; a kit locked by another delivery, or quiet, is busy
 *   send          one `deliveryStatus` call per (tenant, status) for the whole batch (the driver groups)
 *   release kit   an applied scan becomes the kit's last status; a send whose answer was lost keeps
 *                 the kit quiet for the settle window, since it may still commit
 *   settle event  completed (applied, stale) or released (to be retried)
 *
 * `decide` does no I/O and reads no clock; the driver (functions/courier-events/courier-batch.ts,
 * and the fleet simulator) performs the actions through its ports.
 */

import type { MachineStep, Transitions } from '../machine.js';

export interface KitStatusConfig {
  /** How long a status send whose answer was lost may still commit at DCMS. 0 only in the simulator. */
  settleWindowMs: number;
}

export type EventClaim = 'claimed' | 'completed' | 'inProgress';
export type KitClaim = { claim: 'claimed' } | { claim: 'stale' } | { claim: 'busy'; until?: number | undefined };

/** The send's result for this kit: applied, or failed (`unknown`: it may still commit). */
export type SendResult = { ok: true } | { ok: false; unknown: boolean };

export type Observation =
  | { kind: 'begin' }
  | { kind: 'eventClaimed'; claim: EventClaim }
  | { kind: 'kitClaimed'; claim: KitClaim }
  | { kind: 'sent'; result: SendResult; now: number }
  | { kind: 'kitReleased' }
  | { kind: 'eventSettled' };

/** How the scan ends: settled here, or back to SQS (`busyUntil`: when a quiet kit can be claimed again). */
export type Finish = { kind: 'applied' } | { kind: 'duplicate' } | { kind: 'stale' } | { kind: 'inProgress' } | { kind: 'busy'; until: number | undefined } | { kind: 'sendFailed' };

export type Action =
  | { kind: 'claimEvent' }
  | { kind: 'claimKit' }
  | { kind: 'send' }
  | { kind: 'releaseKit'; applied: boolean; quietUntil: number | undefined }
  | { kind: 'completeEvent'; outcome: 'applied' | 'stale' }
  | { kind: 'releaseEvent' }
  | { kind: 'finish'; how: Finish };

export type State =
  { at: 'idle' } | { at: 'claimingEvent' } | { at: 'claimingKit' } | { at: 'sending' } | { at: 'releasingKit'; then: Finish } | { at: 'settlingEvent'; then: Finish } | { at: 'finished'; how: Finish };

export type StateName = State['at'];

/** Every transition the machine can take: the state diagram, as data. */
export const TRANSITIONS: Transitions<StateName, Observation['kind']> = [
  ['idle', 'begin', 'claimingEvent'],
  ['claimingEvent', 'eventClaimed', 'claimingKit'],
  ['claimingEvent', 'eventClaimed', 'finished'],
  ['claimingKit', 'kitClaimed', 'sending'],
  ['claimingKit', 'kitClaimed', 'settlingEvent'],
  ['sending', 'sent', 'releasingKit'],
  ['releasingKit', 'kitReleased', 'settlingEvent'],
  ['settlingEvent', 'eventSettled', 'finished'],
];

export type Step = MachineStep<State, Action>;

export const initialState = (): State => ({ at: 'idle' });

const finish = (how: Finish): Step => ({ state: { at: 'finished', how }, action: { kind: 'finish', how } });
const settleEvent = (then: Finish): Step => ({
  state: { at: 'settlingEvent', then },
  action: then.kind === 'applied' || then.kind === 'stale' ? { kind: 'completeEvent', outcome: then.kind } : { kind: 'releaseEvent' },
});

function unexpected(state: State, observation: Observation): never {
  throw new Error(`kit-status protocol: no transition from ${state.at} on ${observation.kind}`);
}

export function decide(config: KitStatusConfig, state: State, observation: Observation): Step {
  switch (state.at) {
    case 'idle':
      if (observation.kind !== 'begin') return unexpected(state, observation);
      return { state: { at: 'claimingEvent' }, action: { kind: 'claimEvent' } };
    case 'claimingEvent':
      if (observation.kind !== 'eventClaimed') return unexpected(state, observation);
      if (observation.claim === 'completed') return finish({ kind: 'duplicate' });
      if (observation.claim === 'inProgress') return finish({ kind: 'inProgress' });
      return { state: { at: 'claimingKit' }, action: { kind: 'claimKit' } };
    case 'claimingKit': {
      if (observation.kind !== 'kitClaimed') return unexpected(state, observation);
      const { claim } = observation;
      if (claim.claim === 'claimed') return { state: { at: 'sending' }, action: { kind: 'send' } };
      // A newer scan of the kit was accepted: this one is stale, recorded and never sent.
      if (claim.claim === 'stale') return settleEvent({ kind: 'stale' });
      // Another delivery's send for this kit is in flight or may still commit: this one follows it.
      return settleEvent({ kind: 'busy', until: claim.until });
    }
    case 'sending': {
      if (observation.kind !== 'sent') return unexpected(state, observation);
      const { result } = observation;
      if (result.ok) return { state: { at: 'releasingKit', then: { kind: 'applied' } }, action: { kind: 'releaseKit', applied: true, quietUntil: undefined } };
      // A send with no answer may still commit: nothing else is sent for the kit until it would have.
      const quietUntil = result.unknown && config.settleWindowMs > 0 ? observation.now + config.settleWindowMs : undefined;
      return { state: { at: 'releasingKit', then: { kind: 'sendFailed' } }, action: { kind: 'releaseKit', applied: false, quietUntil } };
    }
    case 'releasingKit':
      if (observation.kind !== 'kitReleased') return unexpected(state, observation);
      return settleEvent(state.then);
    case 'settlingEvent':
      if (observation.kind !== 'eventSettled') return unexpected(state, observation);
      return finish(state.then);
    case 'finished':
      return unexpected(state, observation);
  }
}

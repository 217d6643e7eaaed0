import { FailureCategory, IntegrationError, isIntegrationError, toIntegrationError } from '../../resilience/errors.js';
import { decide, initialState, type Action, type Finish, type Observation, type WriteOnceConfig } from './machine.js';

/** The durable write-ahead marker of one business key (DynamoDB in Lambda, a map in the simulator). */
export interface MarkerPort {
  lastSentAt(key: string): Promise<number | undefined>;
  /** Writes the marker only if it still holds `expected` (absent when undefined); false when it did not. */
  markSending(key: string, sentAt: number, expected: number | undefined): Promise<boolean>;
  /** Removes the marker only if it still holds `sentAt`. Best effort: a marker left behind only costs the next delivery one more read. */
  clear(key: string, sentAt: number): Promise<void>;
}

/** One write and the read that finds its effect on the platform. */
export interface WriteOnce<T> {
  /** The non-idempotent write. */
  send: () => Promise<T>;
  /** Reads the platform and returns the effect if it already happened. */
  read: () => Promise<T | undefined>;
  /** A previous delivery may have sent the write already: read before sending. */
  checkFirst: boolean;
  /** Epoch ms after which the request can no longer leave (the call's deadline). */
  deadline: number;
  /** An error that means "already there" (entity.already.exists); trusted only once a read confirms it. */
  isAlreadyDone?: (error: IntegrationError) => boolean;
}

export interface WriteOncePorts {
  /** Where sends are marked before they leave; absent for writes without a settle window. */
  marker?: { port: MarkerPort; key: string };
  clock: () => number;
}

export interface WriteOnceResult<T> {
  result: T;
  /** True when the effect was found on the platform instead of being made by this run. */
  reconciled: boolean;
}

const settlingError = (how: Extract<Finish, { kind: 'settling' }>, now: number, cause: IntegrationError | undefined): IntegrationError => {
  const detail = {
    SETTLING: 'an earlier send of this write may still commit',
    SEND_IN_PROGRESS: 'another delivery is sending this write',
    UNKNOWN_OUTCOME: `${cause?.message ?? 'no answer'}; outcome unknown and not found on read-back yet`,
  }[how.code];
  return new IntegrationError({
    category: FailureCategory.Transient,
    code: how.code,
    message: how.retryAt === undefined ? detail : `${detail}; not sent again until the settle window since that send has passed and a read still shows nothing`,
    ...(how.retryAt !== undefined && { dueInSeconds: Math.max(1, Math.ceil((how.retryAt - now) / 1_000)) }),
  });
};

/**
 * Runs the write-once machine (machine.ts) against its ports: each action the machine asks for is
 * performed here, and what came of it goes back as the next observation. The protocol itself, what
 * to do when, lives only in `decide`.
 */
export async function runWriteOnce<T>(config: WriteOnceConfig, write: WriteOnce<T>, ports: WriteOncePorts): Promise<WriteOnceResult<T>> {
  const marker = ports.marker;
  const machineConfig: WriteOnceConfig = marker ? config : { settleWindowMs: config.settleWindowMs, writeAheadMarker: false };
  let value: T | undefined;
  let failure: IntegrationError | undefined;
  let step = decide(machineConfig, initialState(), { kind: 'begin', checkFirst: write.checkFirst, now: ports.clock(), leaveBy: write.deadline });

  const perform = async (action: Exclude<Action, { kind: 'finish' }>): Promise<Observation> => {
    switch (action.kind) {
      case 'readMarker':
        return { kind: 'markerRead', lastSentAt: await marker!.port.lastSentAt(marker!.key), now: ports.clock() };
      case 'read': {
        const startedAt = ports.clock();
        const found = await write.read();
        if (found !== undefined) value = found;
        return { kind: 'readDone', found: found !== undefined, now: startedAt };
      }
      case 'writeMarker': {
        const written = await marker!.port.markSending(marker!.key, action.sentAt, action.expected);
        return { kind: written ? 'markerWritten' : 'markerTaken', now: ports.clock() };
      }
      case 'send':
        try {
          value = await write.send();
          return { kind: 'sent' };
        } catch (error) {
          failure = toIntegrationError(error);
          // Anything the client did not classify may have left after the request did: assume it reached the platform.
          const unknown = !isIntegrationError(error) || failure.category === FailureCategory.UnknownOutcome;
          return { kind: 'sendFailed', unknown, alreadyDone: write.isAlreadyDone?.(failure) ?? false, now: ports.clock() };
        }
      case 'clearMarker':
        await marker!.port.clear(marker!.key, action.sentAt);
        return { kind: 'markerCleared' };
    }
  };

  while (step.action.kind !== 'finish') step = decide(machineConfig, step.state, await perform(step.action));

  const how = step.action.how;
  switch (how.kind) {
    case 'sent':
      return { result: value as T, reconciled: false };
    case 'found':
      return { result: value as T, reconciled: true };
    case 'refused':
      throw failure!;
    case 'notConfirmed':
      throw new IntegrationError({
        category: FailureCategory.Permanent,
        code: failure!.code,
        message: `${failure!.message}; the platform does not confirm it on read-back, so it was not treated as done`,
      });
    case 'settling':
      throw settlingError(how, ports.clock(), failure);
  }
}

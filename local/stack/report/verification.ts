import type { CardsIssuedTwice, SandboxKitState } from '../../../sandbox/dcms/server.js';
import type { DeadLetteredEvent } from './accounting.js';
import type { NewestScan } from '../feed/courier-scans.js';

/** A kit whose delivery status in DCMS is not the status of the newest scan the run fed for it. */
export interface KitNotInNewestStatus {
  tenant: string;
  kitNo: string;
  /** The newest scan's status. */
  expected: string;
  /** What DCMS shows at the end of the run; null when it never got a status (or does not know the kit). */
  actual: string | null;
  /** The newest scan: its event id and courier time. */
  newestScan: { eventId: string; occurredAt: string };
  /** Every status DCMS applied to the kit, in the order it applied them. */
  dcmsHistory: string[];
}

/**
 * The run checked against the DCMS sandbox's own state, not against what the workers reported:
 * the proof that "every event exactly once in effect" holds where it matters.
 */
export interface PlatformVerification {
  /** Cards DCMS issued for a (tenant, entityId, accountNo, cardType) that already had one. Must be 0. */
  secondCards: number;
  /** Where they are: entity, card type and every kit issued for it (account numbers left out). */
  cardsIssuedTwice: Array<Omit<CardsIssuedTwice, 'accountNo'>>;
  /** Kits with a fed courier scan whose final status was checked. */
  kitsChecked: number;
  /** Must be empty. */
  kitsNotInNewestStatus: KitNotInNewestStatus[];
  /** Kits not checked: their newest scan was itself dead-lettered as invalid or permanent (a kit DCMS does not know, say). */
  kitsLeftOut: number;
}

export interface VerificationInput {
  newestScans: readonly NewestScan[];
  /** The run's dead letters, to leave out kits whose newest scan could never apply. */
  deadLettered: readonly DeadLetteredEvent[];
  kits: readonly SandboxKitState[];
  duplicateCards: number;
  cardsIssuedTwice: readonly CardsIssuedTwice[];
}

/**
 * A dead letter that says the scan could never have applied: rejected by the contract, or refused
 * by DCMS for good. `Exhausted` (gave up on a platform that kept failing) or a record SQS moved
 * without a worker's verdict is a failure to apply, and its kit stays checked.
 */
const NEVER_APPLICABLE: ReadonlySet<string> = new Set(['InvalidEvent', 'Permanent']);

export function verifyPlatform(input: VerificationInput): PlatformVerification {
  const neverApplicable = new Set(input.deadLettered.filter((event) => event.by === 'worker' && NEVER_APPLICABLE.has(event.category ?? '')).map((event) => event.messageId));
  const dcmsKits = new Map(input.kits.map((kit) => [`${kit.tenant}\u0000${kit.kitNo}`, kit]));
  const checked = input.newestScans.filter((scan) => !neverApplicable.has(scan.messageId));
  const kitsNotInNewestStatus = checked.flatMap((scan): KitNotInNewestStatus[] => {
    const dcmsKit = dcmsKits.get(`${scan.tenant}\u0000${scan.kitNo}`);
    const actual = dcmsKit?.deliveryStatus ?? null;
    if (actual === scan.status) return [];
    return [
      {
        tenant: scan.tenant,
        kitNo: scan.kitNo,
        expected: scan.status,
        actual,
        newestScan: { eventId: scan.eventId, occurredAt: scan.occurredAt },
        dcmsHistory: dcmsKit?.deliveryHistory.map((change) => change.status) ?? [],
      },
    ];
  });
  return {
    secondCards: input.duplicateCards,
    cardsIssuedTwice: input.cardsIssuedTwice.map(({ accountNo: _accountNo, ...rest }) => rest),
    kitsChecked: checked.length,
    kitsNotInNewestStatus,
    kitsLeftOut: input.newestScans.length - checked.length,
  };
}

/** Whether DCMS agrees with the run: no second card, every checked kit in its newest scan's status. */
export const platformAgrees = (verification: PlatformVerification | undefined): boolean =>
  verification === undefined || (verification.secondCards === 0 && verification.kitsNotInNewestStatus.length === 0);

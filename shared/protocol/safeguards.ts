/**
 * The protocol's safeguards that the fleet simulator can switch off one at a time, to show that
 * each one is what keeps a promise (docs/RELIABILITY.md, "Each safeguard, removed"). Lambda and
 * the local stack never set these: a runtime without them runs with every safeguard on.
 */
export interface Safeguards {
  /** Nothing is sent again while an earlier send may still commit (write-once), no status while one may still land (courier). */
  settleWindow: boolean;
  /** A DCMS write leaves its marker before it may leave. */
  writeAheadMarker: boolean;
  /** A card control that must be retried holds back the later ones of its card. */
  cardOrder: boolean;
  /** A first card goes without a read only for a customer our ledger covers, of a tenant that issues nowhere else. */
  issueLedger: boolean;
}

export const ALL_SAFEGUARDS: Safeguards = { settleWindow: true, writeAheadMarker: true, cardOrder: true, issueLedger: true };

import type { TenantSettings } from '../../shared/config/tenants.js';
import type { DcmsClient } from '../../shared/dcms/client.js';
import type { CoveragePort } from '../../shared/persistence/customer-ledger.js';
import type { WriteOnceConfig } from '../../shared/protocol/write-once/machine.js';
import type { MarkerPort } from '../../shared/protocol/write-once/run.js';
import type { IssuedKit } from './issued-kits.js';

/** What a registration did: the customer and the kits DCMS holds for it. */
export interface RegistrationOutcome {
  entityId: string;
  kits: IssuedKit[];
  /** The effect was already on the platform (found by a read) rather than made by this call. */
  reconciled: boolean;
}

/** What a registration needs from the worker, per record. */
export interface RegistrationContext {
  dcms: DcmsClient;
  tenant: TenantSettings;
  /** A previous delivery of this event may have reached DCMS (redelivered or redriven). */
  mayHaveBeenSent: boolean;
  deadline: number;
  /** Write-ahead markers of DCMS writes (the write-once protocol's marker port). */
  pendingSends: MarkerPort;
  /** Which customers our ledger covers, and their cards (shared/persistence/customer-ledger.ts). */
  customers: CoveragePort;
  /** Whether a first card may go unread for a covered customer; off only in the simulator, to show what it keeps. */
  issueLedger: boolean;
  /** The write-once protocol's settings: the settle window, the write-ahead marker. */
  writeOnce: WriteOnceConfig;
  clock: () => number;
}

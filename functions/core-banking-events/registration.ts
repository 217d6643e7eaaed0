import type { TenantSettings } from '../../shared/config/tenants.js';
import type { DcmsClient } from '../../shared/dcms/client.js';
import type { PendingSends } from '../../shared/persistence/pending-sends.js';
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
  /** Write-ahead markers of DCMS writes, and how long an unknown-outcome write may still commit. */
  pendingSends: PendingSends;
  settleWindowMs: number;
}

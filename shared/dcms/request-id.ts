import { createHash } from 'node:crypto';
import type { TenantSettings } from '../config/tenants.js';
import type { CallOptions } from './client.js';

/**
 * The request id of a DCMS write: a UUID-shaped digest of the tenant-scoped business key, so every
 * delivery, instance and redrive of the same card sends the same id. Only when the tenant's
 * onboarding named a header for it (docs/RELIABILITY.md: defence in depth, not the guarantee).
 */
export function requestIdFor(tenant: TenantSettings, businessKey: string): Pick<CallOptions, 'requestId'> {
  if (!tenant.requestIdHeader) return {};
  const hex = createHash('sha256').update(businessKey).digest('hex');
  const value = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
  return { requestId: { header: tenant.requestIdHeader, value } };
}

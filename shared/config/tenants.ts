import * as z from 'zod';
import { tenantName } from '../contracts/envelope.js';

/** Per-tenant DCMS settings: what the bank was given at onboarding. Configuration, never code. */
export const tenantSettings = z.object({
  tenant: tenantName,
  business: z.string().min(1),
  businessId: z.string().min(1),
  businessType: z.string().min(1),
  /** DCMS rate limit for this tenant (docs/reference/dcms.md §2: standard tier 100/s, burst 200). */
  rateLimit: z.object({ perSecond: z.number().positive(), burst: z.number().int().positive() }).default({ perSecond: 100, burst: 200 }),
  /**
   * Header that carries our deterministic request id on DCMS writes, once M2P names it for the
   * tenant (its best practices ask for a requestId on card issuance without saying where). Unset:
   * no header. Defence in depth only: exactly-once rests on the reads and the settle window.
   */
  requestIdHeader: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9-]{0,63}$/, 'must be an HTTP header name')
    .optional(),
  /**
   * Whether a first card is always checked against DCMS (`fetchKitsByEntityId`) before
   * `/registerCard`. Set it false only for a tenant whose cards this integration alone issues (no
   * branch, portal or batch issuance in the same DCMS tenant): a first card for a customer our
   * ledger covers is then sent without that read. Default true: a wrong false issues a second card,
   * a wrong true costs one read per card (docs/RELIABILITY.md, "Reading before a first card").
   */
  verifyBeforeFirstIssue: z.boolean().default(true),
});
export type TenantSettings = z.infer<typeof tenantSettings>;

export const tenantsDocument = z
  .array(tenantSettings)
  .min(1)
  .refine((list) => new Set(list.map((t) => t.tenant)).size === list.length, 'tenant names must be unique');

export class TenantDirectory {
  private readonly byName: Map<string, TenantSettings>;

  /** Settings as configured: what the schema defaults (the read before a first card) is filled in. */
  constructor(tenants: readonly z.input<typeof tenantSettings>[]) {
    this.byName = new Map(tenants.map((t) => [t.tenant, tenantSettings.parse(t)]));
  }

  static parse(json: string): TenantDirectory {
    return new TenantDirectory(tenantsDocument.parse(JSON.parse(json)));
  }

  get names(): ReadonlySet<string> {
    return new Set(this.byName.keys());
  }

  has(tenant: string): boolean {
    return this.byName.has(tenant);
  }

  /** Settings of a tenant that parseEvent already accepted as known. */
  get(tenant: string): TenantSettings {
    const settings = this.byName.get(tenant);
    if (!settings) throw new Error(`tenant ${tenant} is not configured`);
    return settings;
  }
}

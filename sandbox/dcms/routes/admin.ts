import type { FastifyInstance } from 'fastify';
import * as z from 'zod';
import { faultSettingsSchema, type FaultSettings } from '../faults.js';
import { fieldErrors } from '../schemas.js';
import type { DcmsSandboxStats, TenantHoldings } from '../stats.js';
import type { CardsIssuedTwice, KitRecord, SandboxKitState } from '../store.js';

/** What tests and operators may see and change of a sandbox, here and on a running one (server.ts). */
export interface SandboxControls {
  /** Replaces the fault settings (validated; throws on invalid ones). */
  setFaults(settings: FaultSettings): void;
  faults(): FaultSettings;
  stats(): DcmsSandboxStats;
  /** What DCMS holds per tenant: customers, kits, delivery statuses applied (also `GET /__admin/holdings`). */
  holdings(): Record<string, TenantHoldings>;
  /** Clears data, stats, rate-limit buckets and faults. */
  reset(): void;
  /** One kit of one tenant, with its delivery status history; undefined when unknown. */
  kit(tenant: string, kitNo: string): KitRecord | undefined;
  /** Every kit of every tenant with its card and delivery status (also `GET /__admin/kits`). */
  kits(): SandboxKitState[];
  /** Every (tenant, entityId, accountNo, cardType) DCMS issued more than one card for. */
  cardsIssuedTwice(): CardsIssuedTwice[];
  /** Sets a kit's card status (REPLACED, ACTIVE…); false for an unknown kit. */
  setCardStatus(tenant: string, kitNo: string, cardStatus: string): boolean;
}

const cardStatusBody = z.strictObject({ cardStatus: z.string().regex(/^[A-Z_]{1,32}$/, 'must be an upper-case card status such as REPLACED') });

/**
 * Test and operator endpoints. Plain JSON (not the DCMS envelope), no tenant, no token, never
 * rate-limited or faulted: they must keep working while the DCMS side is being broken on purpose.
 */
export function mountAdmin(app: FastifyInstance, controls: SandboxControls): void {
  app.get('/__admin/stats', async () => controls.stats());

  app.get('/__admin/holdings', async () => controls.holdings());

  app.get('/__admin/faults', async () => ({ faults: controls.faults() }));

  app.post('/__admin/faults', async (request, reply) => {
    const parsed = faultSettingsSchema.safeParse(request.body ?? {});
    if (!parsed.success) return reply.code(400).send({ error: 'invalid.fault.settings', issues: fieldErrors(parsed.error) });
    controls.setFaults(parsed.data);
    return { faults: controls.faults() };
  });

  /** Every kit of every tenant with its card and delivery status, and the cards issued twice. */
  app.get('/__admin/kits', async () => ({ kits: controls.kits(), cardsIssuedTwice: controls.cardsIssuedTwice() }));

  app.get<{ Params: { tenant: string; kitNo: string } }>('/__admin/tenants/:tenant/kits/:kitNo', async (request, reply) => {
    const kit = controls.kit(request.params.tenant, request.params.kitNo);
    return kit === undefined ? reply.code(404).send({ error: 'kit.not.found' }) : kit;
  });

  app.post<{ Params: { tenant: string; kitNo: string } }>('/__admin/tenants/:tenant/kits/:kitNo/card-status', async (request, reply) => {
    const parsed = cardStatusBody.safeParse(request.body ?? {});
    if (!parsed.success) return reply.code(400).send({ error: 'invalid.card.status', issues: fieldErrors(parsed.error) });
    const { tenant, kitNo } = request.params;
    if (!controls.setCardStatus(tenant, kitNo, parsed.data.cardStatus)) return reply.code(404).send({ error: 'kit.not.found' });
    return controls.kit(tenant, kitNo);
  });

  app.post('/__admin/reset', async () => {
    controls.reset();
    return { reset: true };
  });
}

import type { FastifyInstance } from 'fastify';
import { faultSettingsSchema, type FaultSettings } from '../faults.js';
import { fieldErrors } from '../schemas.js';
import type { DcmsSandboxStats } from '../stats.js';
import type { KitRecord } from '../store.js';

export interface SandboxControls {
  setFaults(settings: FaultSettings): void;
  faults(): FaultSettings;
  stats(): DcmsSandboxStats;
  reset(): void;
  kit(tenant: string, kitNo: string): KitRecord | undefined;
}

/**
 * Test and operator endpoints. Plain JSON (not the DCMS envelope), no tenant, no token, never
 * rate-limited or faulted: they must keep working while the DCMS side is being broken on purpose.
 */
export function mountAdmin(app: FastifyInstance, controls: SandboxControls): void {
  app.get('/__admin/stats', async () => controls.stats());

  app.get('/__admin/faults', async () => ({ faults: controls.faults() }));

  app.post('/__admin/faults', async (request, reply) => {
    const parsed = faultSettingsSchema.safeParse(request.body ?? {});
    if (!parsed.success) return reply.code(400).send({ error: 'invalid.fault.settings', issues: fieldErrors(parsed.error) });
    controls.setFaults(parsed.data);
    return { faults: controls.faults() };
  });

  app.get<{ Params: { tenant: string; kitNo: string } }>('/__admin/tenants/:tenant/kits/:kitNo', async (request, reply) => {
    const kit = controls.kit(request.params.tenant, request.params.kitNo);
    return kit === undefined ? reply.code(404).send({ error: 'kit.not.found' }) : kit;
  });

  app.post('/__admin/reset', async () => {
    controls.reset();
    return { reset: true };
  });
}

/**
 * The sandbox's admin API (never faulted, never rate limited):
 *   GET  /__admin/stats          calls per method and outcome, webhook verdicts
 *   POST /__admin/faults         replace the fault configuration (body: SandboxFaults)
 *   POST /__admin/reset          back to the seed data; faults, stats and rate-limit buckets cleared; tokens revoked
 *   POST /__admin/revoke-tokens  every issued customer token answers 401 from now on
 */
import type { FastifyInstance } from 'fastify';
import { sandboxFaultsSchema } from './faults.js';
import type { SandboxFaults } from './faults.js';
import type { SeedCard } from './seed-data.js';
import type { SandboxStats } from './stats.js';

export interface Card91SandboxControl {
  /** Replaces the fault settings (validated; throws on invalid ones). */
  setFaults(faults: SandboxFaults): void;
  stats(): SandboxStats;
  /** Back to the seed data; clears faults, stats and rate-limit buckets; revokes every token. */
  reset(): void;
  /** Every customer token issued so far answers 401 from now on (forces a re-login). */
  revokeTokens(): void;
  /** A copy of one card's current state and limits; undefined when unknown. */
  card(cardId: string): SeedCard | undefined;
}

export function registerAdminRoutes(app: FastifyInstance, control: Card91SandboxControl): void {
  app.get('/__admin/stats', async () => control.stats());
  app.post('/__admin/faults', async (request, reply) => {
    let parsed: ReturnType<typeof sandboxFaultsSchema.safeParse>;
    try {
      parsed = sandboxFaultsSchema.safeParse(JSON.parse(typeof request.body === 'string' && request.body !== '' ? request.body : '{}'));
    } catch {
      return reply.code(400).send({ message: 'body must be JSON' });
    }
    if (!parsed.success) return reply.code(400).send({ message: 'invalid faults', issues: parsed.error.issues });
    control.setFaults(parsed.data);
    return { ok: true };
  });
  app.post('/__admin/reset', async () => {
    control.reset();
    return { ok: true };
  });
  app.post('/__admin/revoke-tokens', async () => {
    control.revokeTokens();
    return { ok: true };
  });
}

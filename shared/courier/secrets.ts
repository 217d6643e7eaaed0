import { getSecret } from '../config/secrets.js';
import * as z from 'zod';

/**
 * Long enough to spare Secrets Manager, short enough that a rotation reaches every instance within
 * minutes. The rotation runbook waits this long between its steps (see README, courier webhook).
 */
export const SECRET_CACHE_SECONDS = 300;

/**
 * A courier's HMAC keys. Rotation without downtime: (1) store the new key as `current` and the old
 * one as `previous`; (2) after the cache age, give the courier the new key; (3) once it signs with
 * it, drop `previous`. Both verify in between.
 */
export const courierSecrets = z.object({
  current: z.string().min(32, 'a signing key must have at least 32 characters'),
  previous: z.string().min(32, 'a signing key must have at least 32 characters').optional(),
});
export type CourierSecrets = z.infer<typeof courierSecrets>;

/** Every key valid for verification right now, current first. */
export type SecretsSource = (secretId: string) => Promise<readonly string[]>;

const keysOf = (secrets: CourierSecrets): string[] => (secrets.previous ? [secrets.current, secrets.previous] : [secrets.current]);

/** Secrets Manager through the Powertools cache (one fetch per secret per cache age and instance). */
export function secretsManagerSource(): SecretsSource {
  return async (secretId) => {
    const value: unknown = await getSecret(secretId, { maxAge: SECRET_CACHE_SECONDS, transform: 'json' });
    const parsed = courierSecrets.safeParse(value);
    // The secret's content must never reach a log or an error: name the secret only.
    if (!parsed.success) throw new Error(`secret ${secretId} does not have the expected shape`);
    return keysOf(parsed.data);
  };
}

/** Local runs and tests: `{ "<secretId>": { "current": "…", "previous": "…" } }` standing in for Secrets Manager. */
export function staticSecretsSource(document: Readonly<Record<string, CourierSecrets>>): SecretsSource {
  const byId = new Map(Object.entries(z.record(z.string(), courierSecrets).parse(document)).map(([id, secrets]) => [id, keysOf(secrets)]));
  return async (secretId) => {
    const keys = byId.get(secretId);
    if (!keys) throw new Error(`secret ${secretId} is not in the local secrets document`);
    return keys;
  };
}

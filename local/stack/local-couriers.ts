import { LOCAL_SIGNING_KEY } from '../http/courier-webhook.js';

export interface LocalCourier {
  /** The `{courier}` path segment of the webhook. */
  courier: string;
  tenant: string;
  format: 'generic' | 'bluedart';
}

export interface LocalCouriers {
  couriers: LocalCourier[];
  /** COURIERS_JSON and COURIER_SECRETS_JSON of the local courier webhook. */
  couriersJson: string;
  courierSecretsJson: string;
  /** The key every local courier signs with: published on purpose (local only), printed for `ops sign`. */
  signingKey: string;
}

const slug = (tenant: string) => tenant.toLowerCase().replace(/_/g, '-');

/**
 * The couriers the local webhook accepts: Blue Dart's native format for the first tenant, and our
 * generic format for every tenant (`generic-acme-bank`…). One integration belongs to one tenant,
 * as in production; locally they share one signing key.
 */
export function localCouriers(tenants: readonly string[]): LocalCouriers {
  const signingKey = LOCAL_SIGNING_KEY;
  const couriers: LocalCourier[] = [
    ...(tenants[0] ? [{ courier: 'bluedart', tenant: tenants[0], format: 'bluedart' as const }] : []),
    ...tenants.map((tenant) => ({ courier: `generic-${slug(tenant)}`, tenant, format: 'generic' as const })),
  ];
  const secretId = (courier: string) => `local/couriers/${courier}`;
  return {
    couriers,
    couriersJson: JSON.stringify(couriers.map((c) => ({ ...c, secretId: secretId(c.courier) }))),
    courierSecretsJson: JSON.stringify(Object.fromEntries(couriers.map((c) => [secretId(c.courier), { current: signingKey }]))),
    signingKey,
  };
}

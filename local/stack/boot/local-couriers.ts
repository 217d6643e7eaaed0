import type { CourierSettingsInput } from '../../../shared/courier/couriers.js';
import { LOCAL_SIGNING_KEY, localCourierSecrets, localToken, nativeCouriers } from '../../http/courier-webhook.js';

export interface LocalCouriers {
  couriers: CourierSettingsInput[];
  /** COURIERS_JSON and COURIER_SECRETS_JSON of the local courier webhook. */
  couriersJson: string;
  courierSecretsJson: string;
  /** The key every local HMAC courier signs with: published on purpose (local only), printed for `ops sign`. */
  signingKey: string;
  /** The token of each local token integration, by courier: published on purpose (local only). */
  tokens: Record<string, string>;
}

const slug = (tenant: string) => tenant.toLowerCase().replace(/_/g, '-');

/**
 * The couriers the local webhook accepts: Blue Dart's, Delhivery's and Shiprocket's own pushes,
 * each with its own authentication, for the first tenant; and our generic signed format for every
 * tenant (`generic-acme-bank`…). One integration belongs to one tenant, as in production; locally
 * the HMAC ones share one signing key.
 */
export function localCouriers(tenants: readonly string[]): LocalCouriers {
  const couriers: CourierSettingsInput[] = [
    ...(tenants[0] ? nativeCouriers(tenants[0]) : []),
    ...tenants.map((tenant): CourierSettingsInput => ({ courier: `generic-${slug(tenant)}`, tenant, format: 'generic', secretId: `local/couriers/generic-${slug(tenant)}` })),
  ];
  return {
    couriers,
    couriersJson: JSON.stringify(couriers),
    courierSecretsJson: JSON.stringify(localCourierSecrets(couriers)),
    signingKey: LOCAL_SIGNING_KEY,
    tokens: Object.fromEntries(couriers.filter((c) => c.auth?.mode === 'token').map((c) => [c.courier, localToken(c.courier)])),
  };
}

import type { CourierSettingsInput } from '../../functions/courier-webhook/couriers.js';
import type { CourierSecrets } from '../../functions/courier-webhook/secrets.js';
import { webhookRouteKey } from '../../shared/config/resources.js';
import type { LocalResources } from '../emulators.js';

/**
 * The courier webhook's environment for tests and the webhook benchmark: the deployed function's
 * variables, with local couriers and keys in place of SSM and Secrets Manager.
 *
 * `npm start` serves the same handler with the local stack's couriers; tests and the webhook
 * benchmark start it on their own resources with these.
 */

export const COURIER_EVENTS_ROUTE = webhookRouteKey('courierEvents');

/** For local runs only: published here on purpose, so anyone can sign a request to the local server. */
export const LOCAL_SIGNING_KEY = 'local-only-courier-signing-key-0123456789';

export const LOCAL_COURIERS: CourierSettingsInput[] = [
  { courier: 'bluedart', tenant: 'ACME_BANK', format: 'bluedart', secretId: 'local/couriers/bluedart', statusCodes: { 'RT/BRC': 'BANK' } },
  { courier: 'acme-courier', tenant: 'ACME_BANK', format: 'generic', secretId: 'local/couriers/acme-courier' },
];

const LOCAL_SECRETS: Record<string, CourierSecrets> = Object.fromEntries(LOCAL_COURIERS.map((c) => [c.secretId, { current: LOCAL_SIGNING_KEY }]));

export interface LocalCourierWebhookOptions {
  resources: LocalResources;
  couriers?: readonly CourierSettingsInput[];
  secrets?: Readonly<Record<string, CourierSecrets>>;
}

/** The deployed function's environment, pointed at local resources. */
export function localCourierWebhookEnv(options: LocalCourierWebhookOptions): NodeJS.ProcessEnv {
  return {
    ...process.env,
    POWERTOOLS_SERVICE_NAME: 'courier-webhook',
    COURIER_QUEUE_URL: options.resources.queues.courier.url,
    REPLAY_TABLE: options.resources.tables.webhookReplay,
    COURIERS_JSON: JSON.stringify(options.couriers ?? LOCAL_COURIERS),
    COURIER_SECRETS_JSON: JSON.stringify(options.secrets ?? LOCAL_SECRETS),
  };
}

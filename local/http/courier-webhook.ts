import type { CourierSettingsInput } from '../../shared/courier/couriers.js';
import type { CourierSecrets } from '../../shared/courier/secrets.js';
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

/** The token of a local token integration: published on purpose, like the signing key (local only). */
export const localToken = (courier: string): string => `local-only-${courier}-token-0123456789`;

/**
 * Why each courier's own push is on a token: written with its integration, as in cdk.json. These
 * couriers push in their own way and do not sign requests.
 */
export const TOKEN_REASONS = {
  bluedart: "Blue Dart's status push cannot sign requests; it sends a static token in a header agreed at onboarding.",
  delhivery: 'Delhivery sends a static header the customer gives it (Authorization: Token …) and no request signing.',
  shiprocket: 'Shiprocket sends a static token in the x-api-key header and does not sign its webhooks.',
} as const;

/**
 * Each courier's published push with its own authentication. Blue Dart also shows the source-IP
 * allow-list (the local API Gateway's peer is this machine).
 */
export const nativeCouriers = (tenant: string, options: { suffix?: string } = {}): CourierSettingsInput[] => {
  const name = (courier: string) => `${courier}${options.suffix ?? ''}`;
  return [
    {
      courier: name('bluedart'),
      tenant,
      format: 'bluedart',
      secretId: `local/couriers/${name('bluedart')}`,
      auth: { mode: 'token', header: 'x-api-key', reason: TOKEN_REASONS.bluedart, sourceIps: ['127.0.0.1', '::1'] },
      kitLookup: 'referenceOrAwb',
      statusCodes: { 'RT/BRC': 'BANK' },
    },
    {
      courier: name('delhivery'),
      tenant,
      format: 'delhivery',
      secretId: `local/couriers/${name('delhivery')}`,
      auth: { mode: 'token', header: 'authorization', prefix: 'Token ', reason: TOKEN_REASONS.delhivery },
      kitLookup: 'referenceOrAwb',
    },
    {
      courier: name('shiprocket'),
      tenant,
      format: 'shiprocket',
      secretId: `local/couriers/${name('shiprocket')}`,
      auth: { mode: 'token', header: 'x-api-key', reason: TOKEN_REASONS.shiprocket },
    },
  ];
};

export const LOCAL_COURIERS: CourierSettingsInput[] = [...nativeCouriers('ACME_BANK'), { courier: 'acme-courier', tenant: 'ACME_BANK', format: 'generic', secretId: 'local/couriers/acme-courier' }];

/** The local secrets document: the published signing key for HMAC integrations, the published token for the others. */
export const localCourierSecrets = (couriers: readonly CourierSettingsInput[]): Record<string, CourierSecrets> =>
  Object.fromEntries(couriers.map((c) => [c.secretId, { current: c.auth?.mode === 'token' ? localToken(c.courier) : LOCAL_SIGNING_KEY }]));

export interface LocalCourierWebhookOptions {
  resources: LocalResources;
  couriers?: readonly CourierSettingsInput[];
  secrets?: Readonly<Record<string, CourierSecrets>>;
}

/** The deployed function's environment, pointed at local resources. */
export function localCourierWebhookEnv(options: LocalCourierWebhookOptions): NodeJS.ProcessEnv {
  const couriers = options.couriers ?? LOCAL_COURIERS;
  return {
    ...process.env,
    POWERTOOLS_SERVICE_NAME: 'courier-webhook',
    COURIER_QUEUE_URL: options.resources.queues.courier.url,
    REPLAY_TABLE: options.resources.tables.webhookReplay,
    STATE_TABLE: options.resources.tables.integrationState,
    COURIERS_JSON: JSON.stringify(couriers),
    COURIER_SECRETS_JSON: JSON.stringify(options.secrets ?? localCourierSecrets(couriers)),
  };
}

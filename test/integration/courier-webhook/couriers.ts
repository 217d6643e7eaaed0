/**
 * The courier integrations the webhook tests configure, and their keys: HMAC-signing couriers
 * (one mid-rotation, one behind a source-IP allow-list, one with a tiny rate) and token couriers
 * in the shapes Blue Dart, Delhivery and Shiprocket push.
 */
import type { CourierSettingsInput } from '../../../shared/courier/couriers.js';
import type { CourierSecrets } from '../../../shared/courier/secrets.js';

/** Signing keys: the current one, the previous one still valid during a rotation, and a key no courier has. */
export const CURRENT = 'current-courier-signing-key-000000000001';
export const PREVIOUS = 'previous-courier-signing-key-00000000002';
export const OTHER = 'someone-elses-signing-key-0000000000003';

/** Tokens of the token integrations: the current one, and the previous one still valid during a rotation. */
export const TOKEN = 'current-courier-static-token-0000000000001';
export const OLD_TOKEN = 'previous-courier-static-token-000000000002';
const REASON = 'this courier pushes with a static header and cannot sign requests';

export const COURIERS: CourierSettingsInput[] = [
  {
    courier: 'bluedart',
    tenant: 'ACME_BANK',
    format: 'bluedart',
    secretId: 'bluedart',
    auth: { mode: 'token', header: 'x-api-key', reason: REASON },
    kitLookup: 'referenceOrAwb',
    statusCodes: { 'RT/BRC': 'BANK' },
  },
  {
    courier: 'delhivery',
    tenant: 'ACME_BANK',
    format: 'delhivery',
    secretId: 'delhivery',
    auth: { mode: 'token', header: 'authorization', prefix: 'Token ', reason: REASON },
    kitLookup: 'referenceOrAwb',
  },
  { courier: 'shiprocket', tenant: 'GLOBEX_BANK', format: 'shiprocket', secretId: 'shiprocket', auth: { mode: 'token', header: 'x-api-key', reason: REASON, sourceIps: ['127.0.0.0/8', '::1'] } },
  { courier: 'walled', tenant: 'ACME_BANK', format: 'generic', secretId: 'walled', auth: { mode: 'hmac', sourceIps: ['203.0.113.0/24'] } },
  { courier: 'acme-courier', tenant: 'GLOBEX_BANK', format: 'generic', secretId: 'acme-courier' },
  { courier: 'rotating', tenant: 'ACME_BANK', format: 'generic', secretId: 'rotating' },
  { courier: 'slow-lane', tenant: 'ACME_BANK', format: 'generic', secretId: 'slow-lane', rateLimit: { perSecond: 0.01, burst: 2 } },
];
export const SECRETS: Record<string, CourierSecrets> = {
  bluedart: { current: TOKEN, previous: OLD_TOKEN },
  delhivery: { current: TOKEN },
  shiprocket: { current: TOKEN },
  walled: { current: CURRENT },
  'acme-courier': { current: CURRENT },
  rotating: { current: CURRENT, previous: PREVIOUS },
  'slow-lane': { current: CURRENT },
};

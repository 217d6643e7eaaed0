import { SIGNATURE_HEADER, TIMESTAMP_HEADER, signatureHeaderValue } from '../courier/signature.js';
import { WEBHOOK_ROUTES } from '../config/resources.js';

/**
 * Signs a courier webhook request the way a courier must, with the webhook's own signing code so
 * the two cannot drift. The operator's `sign` command, the smoke test, the benchmarks and the
 * tests all send through it.
 */

export interface SignRequestOptions {
  /** One key, or two (current first) to sign as a courier does in the middle of a rotation. */
  secrets: readonly string[];
  /** The exact bytes that will be sent. */
  body: Uint8Array;
  /** Unix seconds; now by default. */
  timestamp?: number;
}

export type SignedHeaders = Record<'content-type' | typeof TIMESTAMP_HEADER | typeof SIGNATURE_HEADER, string>;

export function signCourierRequest(options: SignRequestOptions): SignedHeaders {
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1_000));
  return {
    'content-type': 'application/json',
    [TIMESTAMP_HEADER]: timestamp,
    [SIGNATURE_HEADER]: options.secrets.map((secret) => signatureHeaderValue(secret, timestamp, options.body)).join(','),
  };
}

export const courierEventsUrl = (baseUrl: string, courier: string): string => `${baseUrl.replace(/\/+$/, '')}${WEBHOOK_ROUTES.courierEvents.path.replace('{courier}', encodeURIComponent(courier))}`;

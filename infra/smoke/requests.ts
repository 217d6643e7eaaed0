import { CUSTOMER_CREATED, customerCreatedEvent, type CustomerCreatedEvent } from '../../shared/contracts/index.js';
import { courierEventsUrl, signCourierRequest, type SignedHeaders } from '../../shared/tooling/courier-signing.js';
import { routeLine, type RoutedMessage } from '../../shared/tooling/routing.js';
import type { SmokeTestSettings } from '../config/app-config.js';

/**
 * What the smoke test sends: one signed courier request and one core-banking event, built with the
 * project's own code (the webhook's signer, the producers' routing, the event contract), so the
 * test cannot pass with requests the real partners could not send.
 *
 * Both carry fixed facts: the same scan (kit, status, instant) and the same customer every run.
 * The first run applies them; every later run is a duplicate the workers recognise (idempotency,
 * newest-status ledger, reconciled registration): no DCMS data grows with the number of deploys.
 */

/** The scan every run reports: in transit, at a fixed past instant (India time, as couriers send it). */
const SCAN = { waybillNo: 'SMOKETEST0001', occurredAt: '2024-01-01T10:00:00+05:30' } as const;

/** The smoke kit's scan in our signed generic format (the smoke courier integration must be `generic`, HMAC). */
export function courierBody(kitNo: string): Record<string, unknown> {
  return { kitNo, status: 'IN_TRANSIT', occurredAt: SCAN.occurredAt, awb: SCAN.waybillNo, remarks: 'smoke test' };
}

export interface CourierRequest {
  url: string;
  headers: SignedHeaders;
  body: Buffer;
}

/** The signed request, exactly as a courier sends it (the signature is over these bytes). */
export function courierRequest(options: { webhooksUrl: string; courier: string; kitNo: string; signingKey: string; nowSeconds: number }): CourierRequest {
  const body = Buffer.from(JSON.stringify(courierBody(options.kitNo)));
  return {
    url: courierEventsUrl(options.webhooksUrl, options.courier),
    headers: signCourierRequest({ secrets: [options.signingKey], body, timestamp: options.nowSeconds }),
    body,
  };
}

/** The test customer: synthetic, the same person every run (a repeat registration is reconciled, never a second customer). */
export function customerEvent(smoke: Pick<SmokeTestSettings, 'tenant' | 'entityId'>, runId: string, now: Date): CustomerCreatedEvent {
  return customerCreatedEvent.parse({
    specversion: '1.0',
    id: `smoke-${runId}`,
    source: 'urn:card-issuance:smoke-test',
    type: CUSTOMER_CREATED,
    time: now.toISOString(),
    tenant: smoke.tenant,
    datacontenttype: 'application/json',
    data: {
      entityId: smoke.entityId,
      firstName: 'Smoke',
      lastName: 'Test',
      gender: 'OTHER',
      dob: '1990-01-01',
      addresses: [{ category: 'PERMANENT', line1: 'Smoke test', city: 'Chennai', state: 'Tamil Nadu', country: 'India', pincode: '600001' }],
      contacts: [{ mobile: '9999900000' }],
      kycDocuments: [{ type: 'PAN', number: 'AAAAA0000A' }],
      accounts: [{ accountNo: '000000000001', type: 'SAVINGS', currency: 'INR' }],
    },
  });
}

/** The SQS message a core-banking producer sends for the event (FIFO group `tenant:entityId`, deduplication by event id). */
export const coreBankingMessage = (event: CustomerCreatedEvent): RoutedMessage => routeLine(JSON.stringify(event), new Set(['coreBanking']));

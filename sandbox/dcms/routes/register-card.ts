import { invalidKitInfo } from '../dcms-errors.js';
import { ok } from '../envelope.js';
import type { DcmsHandler } from '../pipeline.js';
import { registerCardRequest } from '../schemas.js';
import type { SandboxStore } from '../store.js';
import { forExistingCustomer } from './existing-customer.js';

/**
 * `POST /registerCard`: one new kit per `kitInfo` entry. Like DCMS it has no idempotency key, so a
 * repeated call issues another card; the store counts those as duplicates.
 */
export const registerCard = (store: SandboxStore): DcmsHandler =>
  forExistingCustomer(store, registerCardRequest, (input, customer, { tenant }) => {
    const unavailable = store.unavailableKitNo(tenant, input.kitInfo);
    if (unavailable !== undefined) return invalidKitInfo(unavailable);
    return ok({ entityId: input.entityId, kitInfo: store.issueCards(tenant, customer, input.kitInfo) });
  });

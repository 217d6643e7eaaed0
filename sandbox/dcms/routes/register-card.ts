import { customerNotFound, invalidInput, invalidKitInfo } from '../dcms-errors.js';
import { ok } from '../envelope.js';
import type { DcmsHandler } from '../pipeline.js';
import { registerCardRequest, validate } from '../schemas.js';
import type { SandboxStore } from '../store.js';

/**
 * `POST /registerCard`: one new kit per `kitInfo` entry. Like DCMS it has no idempotency key, so a
 * repeated call issues another card; the store counts those as duplicates.
 */
export const registerCard =
  (store: SandboxStore): DcmsHandler =>
  ({ tenant, body }) => {
    const input = validate(registerCardRequest, body);
    if (!input.ok) return invalidInput(input.fieldError);
    const customer = store.customer(tenant, input.value.entityId);
    if (customer === undefined) return customerNotFound();
    const unavailable = store.unavailableKitNo(tenant, input.value.kitInfo);
    if (unavailable !== undefined) return invalidKitInfo(unavailable);
    return ok({ entityId: input.value.entityId, kitInfo: store.issueCards(tenant, customer, input.value.kitInfo) });
  };

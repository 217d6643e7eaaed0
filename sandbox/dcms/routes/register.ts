import { entityAlreadyExists, invalidInput, invalidKitInfo } from '../dcms-errors.js';
import { ok } from '../envelope.js';
import type { DcmsHandler } from '../pipeline.js';
import { registerRequest, validate } from '../schemas.js';
import type { SandboxStore } from '../store.js';

/** The card ships to a stored address, so an insta-card needs to know which one (docs/reference/dcms.md §3.1). */
function deliveryAddressRule(body: unknown): string[] {
  if (typeof body !== 'object' || body === null) return [];
  const { kitInfo, deliveryAddress } = body as Record<string, unknown>;
  const wantsCard = Array.isArray(kitInfo) && kitInfo.length > 0;
  return wantsCard && (deliveryAddress === undefined || deliveryAddress === null) ? ['deliveryAddress: is required when kitInfo is present'] : [];
}

/** `POST /register`: creates the customer and, for an insta-card, issues its kits in the same call. */
export const registerCustomer =
  (store: SandboxStore): DcmsHandler =>
  ({ tenant, body }) => {
    const input = validate(registerRequest, body, deliveryAddressRule);
    if (!input.ok) return invalidInput(input.fieldError);
    const profile = input.value;
    if (store.customer(tenant, profile.entityId) !== undefined) return entityAlreadyExists(profile.entityId);
    const kits = profile.kitInfo ?? [];
    const unavailable = store.unavailableKitNo(tenant, kits);
    if (unavailable !== undefined) return invalidKitInfo(unavailable);
    const customer = store.addCustomer(tenant, profile);
    return ok({ entityId: profile.entityId, kitInfo: store.issueCards(tenant, customer, kits) });
  };

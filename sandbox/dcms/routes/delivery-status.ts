import { invalidInput, kitNotFoundItem } from '../dcms-errors.js';
import { ok } from '../envelope.js';
import type { DcmsHandler } from '../pipeline.js';
import { deliveryStatusRequest, validate } from '../schemas.js';
import type { SandboxStore } from '../store.js';

/**
 * `POST /inventory/update/deliveryStatus`: one result per kit, in request order, inside an HTTP 200
 * even when kits fail — callers must read every item (docs/reference/dcms.md §3.3). Under `ackWithoutCommit`
 * (`commit: false`) the answer is the same and nothing is applied.
 */
export const updateDeliveryStatus =
  (store: SandboxStore): DcmsHandler =>
  ({ tenant, body, commit }) => {
    const input = validate(deliveryStatusRequest, body);
    if (!input.ok) return invalidInput(input.fieldError);
    const apply = (kit: string, status: string) => (commit ? store.setDeliveryStatus(tenant, kit, status) : store.hasKit(tenant, kit));
    const result = input.value.flatMap(({ deliveryStatus, kitNo }) => kitNo.map((kit) => (apply(kit, deliveryStatus) ? { kitNo: kit, result: true, status: '200' } : kitNotFoundItem(kit))));
    return ok(result);
  };

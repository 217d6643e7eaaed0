import { invalidInput, kitNotFoundItem } from '../dcms-errors.js';
import { ok } from '../envelope.js';
import type { DcmsHandler } from '../pipeline.js';
import { deliveryStatusRequest, validate } from '../schemas.js';
import type { SandboxStore } from '../store.js';

/**
 * `POST /inventory/update/deliveryStatus`: one result per kit, in request order, inside an HTTP 200
 * even when kits fail — callers must read every item (reference §3.3).
 */
export const updateDeliveryStatus =
  (store: SandboxStore): DcmsHandler =>
  ({ tenant, body }) => {
    const input = validate(deliveryStatusRequest, body);
    if (!input.ok) return invalidInput(input.fieldError);
    const result = input.value.flatMap(({ deliveryStatus, kitNo }) =>
      kitNo.map((kit) =>
        store.setDeliveryStatus(tenant, kit, deliveryStatus) ? { kitNo: kit, result: true, status: '200' } : kitNotFoundItem(kit),
      ),
    );
    return ok(result);
  };

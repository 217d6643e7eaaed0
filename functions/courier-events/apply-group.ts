import { fromException } from '../../shared/dcms/classify.js';
import type { DcmsClient } from '../../shared/dcms/client.js';
import { toDeliveryStatusRequest } from '../../shared/dcms/mapping.js';
import type { KitDeliveryResult } from '../../shared/dcms/schemas.js';
import { FailureCategory, IntegrationError } from '../../shared/resilience/errors.js';
import type { CourierItem } from './plan-batch.js';

export type KitResult = { item: CourierItem; ok: true } | { item: CourierItem; ok: false; failure: IntegrationError };

/** Success only if `result === true` and no exception (docs/reference/dcms.md §3.3: failed kits have no `result`, not `false`). */
const succeeded = (result: KitDeliveryResult): boolean => result.result === true && !result.exception;

/**
 * One `deliveryStatus` call for a (tenant, status) group. Per-kit results come back inside an
 * HTTP 200 and are mapped back to their events; a kit DCMS did not answer for is transient
 * (setting a status is absolute, so sending it again is harmless). A failed call fails every kit.
 */
export async function applyGroup(dcms: DcmsClient, tenant: string, items: readonly CourierItem[], deadline: number): Promise<KitResult[]> {
  const status = items[0]!.event.data.status;
  let results: KitDeliveryResult[];
  try {
    results = await dcms.updateDeliveryStatus(
      tenant,
      toDeliveryStatusRequest(
        status,
        items.map((i) => i.event.data.kitNo),
      ),
      { deadline },
    );
  } catch (error) {
    const failure = error instanceof IntegrationError ? error : new IntegrationError({ category: FailureCategory.Transient, code: 'UNEXPECTED', message: String(error) });
    return items.map((item) => ({ item, ok: false, failure }));
  }
  const byKit = new Map(results.map((r) => [r.kitNo, r]));
  return items.map((item): KitResult => {
    const result = byKit.get(item.event.data.kitNo);
    if (!result) {
      return { item, ok: false, failure: new IntegrationError({ category: FailureCategory.Transient, code: 'NO_KIT_RESULT', message: 'DCMS answered without a result for this kit' }) };
    }
    if (succeeded(result)) return { item, ok: true };
    // A failed kit says `status: "500"` beside `httpStatus: "BAD_REQUEST"` (docs/reference/dcms.md §3.3): it is a
    // business answer inside an HTTP 200, classified by its errorCode, not by that string.
    const failure = result.exception
      ? fromException('deliveryStatus', result.exception, 200)
      : new IntegrationError({ category: FailureCategory.Permanent, code: 'KIT_NOT_UPDATED', message: `DCMS did not apply the status (status ${String(result.status)})` });
    return { item, ok: false, failure };
  });
}

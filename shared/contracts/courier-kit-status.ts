import * as z from 'zod';
import { cloudEvent, rfc3339 } from './envelope.js';
import { AWB_MAX, boundedPattern, boundedString, COURIER_NAME_MAX, KIT_NO_MAX, LOCATION_MAX, REMARKS_MAX } from './limits.js';

export const COURIER_KIT_STATUS = 'courier.kit.status.v1';

/** The DCMS delivery-status values (docs/reference/dcms.md §3.3). */
export const deliveryStatus = z.enum(['IN_TRANSIT', 'DELIVERED', 'RETURNED', 'BANK']);
export type DeliveryStatus = z.infer<typeof deliveryStatus>;

export const kitNumber = boundedPattern(KIT_NO_MAX, /^[A-Za-z0-9]{1,32}$/, 'kitNo must be 1 to 32 letters or digits');

export const courierKitStatusData = z.object({
  kitNo: kitNumber,
  status: deliveryStatus,
  occurredAt: rfc3339,
  awb: boundedString(AWB_MAX).optional(),
  courier: boundedString(COURIER_NAME_MAX).optional(),
  location: boundedString(LOCATION_MAX).optional(),
  remarks: boundedString(REMARKS_MAX).optional(),
});

export const courierKitStatusEvent = cloudEvent(COURIER_KIT_STATUS, courierKitStatusData);
export type CourierKitStatusData = z.infer<typeof courierKitStatusData>;
export type CourierKitStatusEvent = z.infer<typeof courierKitStatusEvent>;

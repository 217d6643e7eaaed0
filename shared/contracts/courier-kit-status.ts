import * as z from 'zod';
import { cloudEvent, rfc3339 } from './envelope.js';

export const COURIER_KIT_STATUS = 'courier.kit.status.v1';

/** The DCMS delivery-status values (reference §3.3). */
export const deliveryStatus = z.enum(['IN_TRANSIT', 'DELIVERED', 'RETURNED', 'BANK']);
export type DeliveryStatus = z.infer<typeof deliveryStatus>;

export const kitNumber = z.string().regex(/^[A-Za-z0-9]{1,32}$/, 'kitNo must be 1 to 32 letters or digits');

export const courierKitStatusData = z.object({
  kitNo: kitNumber,
  status: deliveryStatus,
  occurredAt: rfc3339,
  awb: z.string().max(64).optional(),
  courier: z.string().max(64).optional(),
  location: z.string().max(128).optional(),
  remarks: z.string().max(512).optional(),
});

export const courierKitStatusEvent = cloudEvent(COURIER_KIT_STATUS, courierKitStatusData);
export type CourierKitStatusData = z.infer<typeof courierKitStatusData>;
export type CourierKitStatusEvent = z.infer<typeof courierKitStatusEvent>;

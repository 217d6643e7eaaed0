import type * as z from 'zod';
import { ACCOUNT_OPENED, accountOpenedEvent } from './account-opened.js';
import { CARD_CONTROL_REQUESTED, cardControlEvent } from './card-control.js';
import { COURIER_KIT_STATUS, courierKitStatusEvent } from './courier-kit-status.js';
import { CUSTOMER_CREATED, customerCreatedEvent } from './customer-created.js';

/** Every event type this product consumes, by its CloudEvents `type`. */
export const eventSchemas = {
  [CUSTOMER_CREATED]: customerCreatedEvent,
  [ACCOUNT_OPENED]: accountOpenedEvent,
  [COURIER_KIT_STATUS]: courierKitStatusEvent,
  [CARD_CONTROL_REQUESTED]: cardControlEvent,
} as const;
export type EventType = keyof typeof eventSchemas;
export type EventOf<T extends EventType> = z.infer<(typeof eventSchemas)[T]>;

import type * as z from 'zod';
import { ACCOUNT_OPENED, accountOpenedEvent } from './account-opened.js';
import { CARD_CONTROL_REQUESTED, cardControlEvent } from './card-control.js';
import { COURIER_KIT_STATUS, courierKitStatusEvent } from './courier-kit-status.js';
import { CUSTOMER_CREATED, customerCreatedEvent } from './customer-created.js';
import { parseAcceptedEvent } from './parse.js';

/**
 * Every event type this product consumes, by its CloudEvents `type`: for the published JSON schemas
 * and the tools that take any type. A worker hands parseAcceptedEvent its own few instead.
 */
export const eventSchemas = {
  [CUSTOMER_CREATED]: customerCreatedEvent,
  [ACCOUNT_OPENED]: accountOpenedEvent,
  [COURIER_KIT_STATUS]: courierKitStatusEvent,
  [CARD_CONTROL_REQUESTED]: cardControlEvent,
} as const;
export type EventType = keyof typeof eventSchemas;
export type EventOf<T extends EventType> = z.infer<(typeof eventSchemas)[T]>;

/** parseAcceptedEvent over the registry: for a caller that may take any type and names the ones it accepts. */
export function parseEvent<T extends EventType>(body: string, accepted: readonly T[], knownTenants: ReadonlySet<string>): EventOf<T> {
  const schemas = Object.fromEntries(accepted.map((type) => [type, eventSchemas[type]]));
  return parseAcceptedEvent(body, schemas, knownTenants) as EventOf<T>;
}

import { jsonObject } from './json-body.js';

/** The fields of a CloudEvent body an operator filters and lists by; empty for a body that is not one. */
export interface EventFields {
  eventId?: string;
  eventType?: string;
  tenant?: string;
  /** The business entity: the customer's entityId, or the courier event's kitNo. */
  subject?: string;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined);

export function eventFields(body: string): EventFields {
  const parsed = jsonObject(body);
  if (parsed === undefined) return {};
  const event = parsed as Record<string, unknown>;
  const data = typeof event.data === 'object' && event.data !== null ? (event.data as Record<string, unknown>) : {};
  const fields: EventFields = {};
  const eventId = text(event.id);
  const eventType = text(event.type);
  const tenant = text(event.tenant);
  const subject = text(data.entityId) ?? text(data.kitNo);
  if (eventId) fields.eventId = eventId;
  if (eventType) fields.eventType = eventType;
  if (tenant) fields.tenant = tenant;
  if (subject) fields.subject = subject;
  return fields;
}

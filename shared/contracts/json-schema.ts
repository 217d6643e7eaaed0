import * as z from 'zod';
import { EVENT_BODY_MAX_BYTES } from './limits.js';
import { eventSchemas, type EventType } from './registry.js';

/**
 * JSON Schema (draft 2020-12) of each event type, generated from the zod source so the published
 * contract cannot drift from what the workers accept. Cross-field rules (a PERMANENT address, a
 * reason for BLOCK…) are zod refinements, and the body size is checked before parsing: JSON Schema
 * cannot express either, so they are listed in `description` instead.
 */
const CROSS_FIELD_RULES: Record<EventType, string[]> = {
  'bank.customer.created.v1': [
    'addresses must include at least one PERMANENT address',
    'card.accountNo must be one of accounts[].accountNo',
    'card.deliveryAddress must name an address category the customer has',
  ],
  'bank.account.opened.v1': [],
  'courier.kit.status.v1': [],
  'bank.card.control.requested.v1': ['reason is required when action is BLOCK', 'limits are required when action is SET_LIMITS'],
};

export function eventJsonSchemas(): Record<string, Record<string, unknown>> {
  const schemas: Record<string, Record<string, unknown>> = {};
  for (const [type, schema] of Object.entries(eventSchemas) as [EventType, z.ZodType][]) {
    const rules = [`the JSON body is at most ${EVENT_BODY_MAX_BYTES} bytes (UTF-8)`, ...CROSS_FIELD_RULES[type]];
    schemas[type] = {
      $id: `https://schemas.card-issuance.example/${type}.json`,
      title: type,
      description: `Also enforced: ${rules.join('; ')}.`,
      ...z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }),
    };
  }
  return schemas;
}

/** File name under docs/contracts/ for an event type. */
export const schemaFileName = (type: string): string => `${type}.schema.json`;

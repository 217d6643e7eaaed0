import type * as z from 'zod';
import { invalidEvent } from '../resilience/errors.js';
import { cloudEventEnvelope } from './envelope.js';
import { eventSchemas, type EventOf, type EventType } from './registry.js';

/** `path.to.field: message` for each issue, the form operators read in dead-letter attributes. */
export const describeIssues = (error: z.ZodError): string =>
  error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`).join('; ');

/**
 * Parses an SQS body into one of the accepted event types. Every way it can fail is an
 * InvalidEvent with a code an operator can filter on: BAD_JSON, SCHEMA, UNEXPECTED_TYPE,
 * UNKNOWN_TENANT.
 */
export function parseEvent<T extends EventType>(body: string, accepted: readonly T[], knownTenants: ReadonlySet<string>): EventOf<T> {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw invalidEvent('BAD_JSON', 'body is not valid JSON');
  }
  const envelope = cloudEventEnvelope.safeParse(json);
  if (!envelope.success) throw invalidEvent('SCHEMA', describeIssues(envelope.error));
  const type = envelope.data.type as T;
  if (!accepted.includes(type)) {
    throw invalidEvent('UNEXPECTED_TYPE', `event type ${envelope.data.type} is not handled here (accepted: ${accepted.join(', ')})`);
  }
  if (!knownTenants.has(envelope.data.tenant)) {
    throw invalidEvent('UNKNOWN_TENANT', `tenant ${envelope.data.tenant} is not configured`);
  }
  const parsed = eventSchemas[type].safeParse(json);
  if (!parsed.success) throw invalidEvent('SCHEMA', describeIssues(parsed.error));
  return parsed.data as EventOf<T>;
}

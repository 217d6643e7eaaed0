import { Buffer } from 'node:buffer';
import type * as z from 'zod';
import { invalidEvent } from '../resilience/errors.js';
import { cloudEventEnvelope } from './envelope.js';
import { EVENT_BODY_MAX_BYTES } from './limits.js';
import { eventSchemas, type EventOf, type EventType } from './registry.js';

/** Issues named in one rejection; the rest are counted, so a message stays short whatever the event. */
export const MAX_ISSUES_DESCRIBED = 10;

/**
 * Every key of our contracts is a plain identifier; any other key (an extension attribute name)
 * came from the producer and is not repeated, since it could be anything of any length.
 */
const PLAIN_KEY = /^[A-Za-z0-9_]{1,64}$/;

const keyOf = (key: PropertyKey): string => (typeof key === 'number' || (typeof key === 'string' && PLAIN_KEY.test(key)) ? String(key) : '(attribute)');
const pathOf = (path: readonly PropertyKey[]): string => (path.length === 0 ? '(root)' : path.map(keyOf).join('.'));

/**
 * `path.to.field: message` for each issue, the form operators read in dead-letter attributes and
 * logs. Only the field's path and what the contract requires: the messages are the contract's
 * own (zod's and ours name bounds and formats, never the input), and no value is ever quoted.
 */
export function describeIssues(error: z.ZodError): string {
  const described = error.issues.slice(0, MAX_ISSUES_DESCRIBED).map((issue) => `${pathOf(issue.path)}: ${issue.message}`);
  const more = error.issues.length - described.length;
  return more > 0 ? `${described.join('; ')}; and ${more} more` : described.join('; ');
}

/**
 * Parses an SQS body into one of the accepted event types. Every way it can fail is an
 * InvalidEvent with a code an operator can filter on: TOO_LARGE, BAD_JSON, SCHEMA,
 * UNEXPECTED_TYPE, UNKNOWN_TENANT.
 */
export function parseEvent<T extends EventType>(body: string, accepted: readonly T[], knownTenants: ReadonlySet<string>): EventOf<T> {
  // Before JSON.parse: an oversized body costs nothing more than its length.
  const bytes = Buffer.byteLength(body, 'utf8');
  if (bytes > EVENT_BODY_MAX_BYTES) {
    throw invalidEvent('TOO_LARGE', `body is ${bytes} bytes: at most ${EVENT_BODY_MAX_BYTES} bytes`);
  }
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

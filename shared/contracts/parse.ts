import { Buffer } from 'node:buffer';
import type * as z from 'zod';
import { invalidEvent } from '../resilience/errors.js';
import { cloudEventEnvelope, type CloudEventEnvelope } from './envelope.js';
import { EVENT_BODY_MAX_BYTES } from './limits.js';

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
 * The event types one consumer accepts, each with its schema (`{ [CUSTOMER_CREATED]: customerCreatedEvent }`).
 * Handed in rather than looked up in the registry of every type: a worker's bundle then builds only
 * the contracts it accepts.
 */
export type AcceptedEvents = Readonly<Record<string, z.ZodType<Pick<CloudEventEnvelope, 'id' | 'type' | 'tenant' | 'data'>>>>;
/** An event of one of the accepted types, as its schema outputs it. */
export type AcceptedEvent<A extends AcceptedEvents> = z.output<A[keyof A]>;

/**
 * Parses an SQS body into one of the accepted event types. Every way it can fail is an
 * InvalidEvent with a code an operator can filter on: TOO_LARGE, BAD_JSON, SCHEMA,
 * UNEXPECTED_TYPE, UNKNOWN_TENANT.
 */
export function parseAcceptedEvent<A extends AcceptedEvents>(body: string, accepted: A, knownTenants: ReadonlySet<string>): AcceptedEvent<A> {
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
  const { type, tenant } = envelope.data;
  // Own keys only: a `type` of `constructor` or `toString` names no contract.
  if (!Object.hasOwn(accepted, type)) {
    throw invalidEvent('UNEXPECTED_TYPE', `event type ${type} is not handled here (accepted: ${Object.keys(accepted).join(', ')})`);
  }
  if (!knownTenants.has(tenant)) {
    throw invalidEvent('UNKNOWN_TENANT', `tenant ${tenant} is not configured`);
  }
  const parsed = accepted[type]!.safeParse(json);
  if (!parsed.success) throw invalidEvent('SCHEMA', describeIssues(parsed.error));
  return parsed.data as AcceptedEvent<A>;
}

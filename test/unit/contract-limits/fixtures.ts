import { eventSchemas, parseEvent } from '../../../shared/contracts/index.js';
import { IntegrationError } from '../../../shared/resilience/errors.js';

const TENANTS = new Set(['ACME_BANK']);
const ALL_TYPES = Object.keys(eventSchemas) as never;

export type Event = Record<string, unknown> & { data: Record<string, unknown> };

export const parse = (body: unknown) => parseEvent(typeof body === 'string' ? body : JSON.stringify(body), ALL_TYPES, TENANTS);

/** The error `parseEvent` rejects `body` with (the test fails if it accepts it). */
export const failure = (body: unknown): IntegrationError => {
  try {
    parse(body);
  } catch (error) {
    if (error instanceof IntegrationError) return error;
    throw error;
  }
  throw new Error('expected the event to be rejected');
};

export const bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

/** `length` characters of `unit` repeated (a value at, or just over, a bound). */
export const fill = (length: number, unit = 'x'): string => unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
export const digits = (length: number): string => fill(length, '1234567890');

/** An e-mail address of exactly `length` characters that the contract's e-mail format accepts. */
export function email(length: number): string {
  const local = fill(64, 'a');
  // Domain labels of 60 letters joined by dots, then the top-level domain.
  const labels = fill(length - local.length - '@'.length - '.com'.length, `${fill(60, 'b')}.`).replace(/\.$/, 'b');
  return `${local}@${labels}.com`;
}

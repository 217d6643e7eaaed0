import { InvalidArgumentError } from 'commander';
import type { DeadLetter } from '../shared/tooling/dlq-messages.js';
import { failureOf } from '../shared/tooling/dlq-messages.js';
import { eventFields } from './event-fields.js';

/** What `--filter key=value` can match, and where each value is read from (a Map: `constructor` is no key). */
type FilterField = 'code' | 'category' | 'function' | 'type' | 'tenant';
const FIELDS = new Map<FilterField, (m: DeadLetter) => string | undefined>([
  ['code', (m) => failureOf(m).code],
  ['category', (m) => failureOf(m).category],
  ['function', (m) => failureOf(m).functionName],
  ['type', (m) => eventFields(m.body).eventType],
  ['tenant', (m) => eventFields(m.body).tenant],
]);
const isField = (name: string): name is FilterField => FIELDS.has(name as FilterField);

export interface Filter {
  field: FilterField;
  /** Any of these matches (`code=CUS001,SCHEMA`). */
  values: string[];
}

const usage = `expected key=value with key one of ${[...FIELDS.keys()].join(', ')} (e.g. code=CUS001)`;

/** Commander parser for a repeatable `--filter key=value[,value…]`. */
export function parseFilter(value: string, previous: Filter[] = []): Filter[] {
  const match = /^([a-z]+)=(.*)$/.exec(value);
  const field = match?.[1];
  if (!match || field === undefined || !isField(field)) throw new InvalidArgumentError(usage);
  const values = match[2]!
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
  // `code=` or `code=,` would match nothing and read as a filter: refused rather than silently empty.
  if (values.length === 0) throw new InvalidArgumentError(`${field}= needs at least one value (e.g. ${field}=CUS001 or ${field}=CUS001,SCHEMA)`);
  return [...previous, { field, values }];
}

/** Every filter must match (AND); within one filter, any value (OR). */
export const matches = (message: DeadLetter, filters: readonly Filter[]): boolean =>
  filters.every((filter) => {
    const actual = FIELDS.get(filter.field)!(message);
    return actual !== undefined && filter.values.includes(actual);
  });

export const describeFilters = (filters: readonly Filter[]): string => filters.map((f) => `${f.field}=${f.values.join(',')}`).join(' and ') || 'all';

import { InvalidArgumentError } from 'commander';
import type { DeadLetter } from './dlq-messages.js';
import { failureOf } from './dlq-messages.js';
import { eventFields } from './event-fields.js';

/** What `--filter key=value` can match, and where each value is read from. */
const FIELDS = {
  code: (m: DeadLetter) => failureOf(m).code,
  category: (m: DeadLetter) => failureOf(m).category,
  function: (m: DeadLetter) => failureOf(m).functionName,
  type: (m: DeadLetter) => eventFields(m.body).eventType,
  tenant: (m: DeadLetter) => eventFields(m.body).tenant,
} as const;
type FilterField = keyof typeof FIELDS;

export interface Filter {
  field: FilterField;
  /** Any of these matches (`code=CUS001,SCHEMA`). */
  values: string[];
}

/** Commander parser for a repeatable `--filter key=value[,value…]`. */
export function parseFilter(value: string, previous: Filter[] = []): Filter[] {
  const match = /^([a-z]+)=(.+)$/.exec(value);
  const field = match?.[1];
  if (!match || field === undefined || !(field in FIELDS)) {
    throw new InvalidArgumentError(`expected key=value with key one of ${Object.keys(FIELDS).join(', ')} (e.g. code=CUS001)`);
  }
  return [...previous, { field: field as FilterField, values: match[2]!.split(',').map((v) => v.trim()).filter(Boolean) }];
}

/** Every filter must match (AND); within one filter, any value (OR). */
export const matches = (message: DeadLetter, filters: readonly Filter[]): boolean =>
  filters.every((filter) => {
    const actual = FIELDS[filter.field](message);
    return actual !== undefined && filter.values.includes(actual);
  });

export const describeFilters = (filters: readonly Filter[]): string => filters.map((f) => `${f.field}=${f.values.join(',')}`).join(' and ') || 'all';

/**
 * Field parsers shared by the Card91 request and response schemas: the tolerant readings of
 * docs/reference/card91.md §1.3 and §5.4 (ids that are strings or numbers, amounts kept as
 * canonical decimal strings, one date parser per field format).
 */
import * as z from 'zod';
import { parseDayMonthYear, parseLocalIsoDateTime, parseSpacedDateTime, parseYearMonthDay } from './dates.js';
import { parseDecimal } from './money.js';

export const decimal = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const canonical = parseDecimal(value);
  if (canonical === undefined) {
    ctx.addIssue({ code: 'custom', message: 'expected a decimal amount' });
    return z.NEVER;
  }
  return canonical;
});

export const nonNegativeDecimal = decimal.refine((value) => !value.startsWith('-'), 'expected an amount >= 0');

/** Id printed as a string in one document and a number in another. */
export const identifier = z.union([z.string().min(1), z.number().int().nonnegative()]).transform(String);

/** Short codes (stan, rrn, mcc, …) that are strings in the samples but digits by nature. */
export const code = z.union([z.string(), z.number()]).transform(String).nullish();

export const text = z.string().nullish();

/** Fields the seed shows only as null: their type is unknown, so any scalar is accepted as is. */
export const unknownScalar = z.union([z.string(), z.number(), z.boolean()]).nullish();

export const count = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/).transform(Number)]);

export const list = <T extends z.ZodType>(item: T) =>
  z
    .array(item)
    .nullish()
    .transform((items) => items ?? []);

const dateIn = (parse: (value: string) => string | undefined, format: string) =>
  z.string().transform((value, ctx) => {
    const iso = parse(value);
    if (iso === undefined) {
      ctx.addIssue({ code: 'custom', message: `expected a date as ${format}` });
      return z.NEVER;
    }
    return iso;
  });

export const dayMonthYear = dateIn(parseDayMonthYear, 'DD-MM-YYYY');
export const yearMonthDay = dateIn(parseYearMonthDay, 'YYYY-MM-DD');
export const spacedDateTime = dateIn(parseSpacedDateTime, 'YYYY-MM-DD HH:mm:ss');
export const localIsoDateTime = dateIn(parseLocalIsoDateTime, 'YYYY-MM-DDTHH:mm:ss.SSS');

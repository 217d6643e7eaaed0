import { rfc3339 } from '../../../shared/contracts/envelope.js';

/**
 * Couriers' dates and times, most without an offset: they are the courier's local time (India for
 * every courier here), the integration's `utcOffset`. Read strictly: a date that is not on the
 * calendar (31-Feb) or a time past 23:59 is refused, never rolled over.
 */

interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

interface ClockTime {
  hour: number;
  minute: number;
  second: number;
  /** Fraction of a second as written, at most milliseconds (`.556`), or empty. */
  fraction: string;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** `15-Apr-2024`, `15-04-2024`, `15 04 2024`, `15/04/2024` (day first) or `2024-04-15`. */
const DAY_FIRST = /^(\d{1,2})[-/ ]([A-Za-z]{3}|\d{1,2})[-/ ](\d{4})$/;
const YEAR_FIRST = /^(\d{4})-(\d{2})-(\d{2})$/;
/** `11:11`, `1111`, `11:11:05`, `11:11:05.556`. */
const TIME = /^(\d{1,2}):?(\d{2})(?::(\d{2})(\.\d+)?)?$/;

export function calendarDate(text: string): CalendarDate | undefined {
  const trimmed = text.trim();
  let year: number, month: number, day: number;
  const dayFirst = DAY_FIRST.exec(trimmed);
  const yearFirst = YEAR_FIRST.exec(trimmed);
  if (dayFirst) {
    const [, d, m, y] = dayFirst as unknown as [string, string, string, string];
    month = /^\d+$/.test(m) ? Number(m) : MONTHS.indexOf(m.toLowerCase()) + 1;
    [year, day] = [Number(y), Number(d)];
  } else if (yearFirst) {
    const [, y, m, d] = yearFirst as unknown as [string, string, string, string];
    [year, month, day] = [Number(y), Number(m), Number(d)];
  } else {
    return undefined;
  }
  if (month < 1 || month > 12) return undefined;
  const date = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC rolls 31-Feb over into March (and years 0-99 into the 1900s): a real date survives the round trip.
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return { year, month, day };
}

export function clockTime(text: string): ClockTime | undefined {
  const match = TIME.exec(text.trim());
  if (!match) return undefined;
  const [, h, m, s = '0', fraction = ''] = match as unknown as [string, string, string, string | undefined, string | undefined];
  const [hour, minute, second] = [Number(h), Number(m), Number(s)];
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  return { hour, minute, second, fraction: fraction.slice(0, 4) };
}

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

/** RFC 3339 in the given offset: `2024-04-15T11:11:00+05:30`. */
export function atOffset(date: CalendarDate, time: ClockTime, utcOffset: string): string {
  return `${pad(date.year, 4)}-${pad(date.month)}-${pad(date.day)}T${pad(time.hour)}:${pad(time.minute)}:${pad(time.second)}${time.fraction}${utcOffset}`;
}

/** A local date and time in one string: `2024-04-15T11:11:05`, `2024-04-15 11:11`, `23 05 2023 11:43:52`. */
function localDateTime(text: string): { date: CalendarDate; time: ClockTime } | undefined {
  const match = /^(.+?)[T ](\d{1,2}:?\d{2}(?::\d{2}(?:\.\d+)?)?)$/.exec(text.trim());
  if (!match) return undefined;
  const date = calendarDate(match[1]!);
  const time = clockTime(match[2]!);
  return date && time ? { date, time } : undefined;
}

/** A courier timestamp as RFC 3339: kept when it has an offset, else read as local time at `utcOffset`. */
export function instantText(text: string, utcOffset: string): string | undefined {
  if (rfc3339.safeParse(text).success) return text;
  const local = localDateTime(text);
  return local && atOffset(local.date, local.time, utcOffset);
}

/**
 * Card91 prints dates in four formats, one per kind of field (docs/reference/card91.md §1.3):
 *   - `dob`, `passportValidity`            `DD-MM-YYYY`              → `YYYY-MM-DD`
 *   - trips `tripStartDate`/`tripEndDate`  `YYYY-MM-DD`              → `YYYY-MM-DD`
 *   - transactions `txnDate`, …            `YYYY-MM-DD HH:mm:ss`     → ISO 8601 with offset
 *   - card loads `txnDate`, …              `YYYY-MM-DDTHH:mm:ss.SSS` → ISO 8601 with offset
 * Each field gets its own parser; a value in another field's format is rejected rather than
 * guessed, because `03-04-2024` and `2024-03-04` read differently.
 *
 * Time zone: never stated by Card91; the reference infers IST. Date-times are returned as local
 * time with an explicit `+05:30` offset rather than converted to UTC, so the inference is visible
 * in every value and can be corrected in one place.
 */

export const CARD91_UTC_OFFSET = '+05:30';

/** `YYYY-MM-DD`, a calendar date without a zone. */
export type IsoDate = string;
/** `YYYY-MM-DDTHH:mm:ss.SSS+05:30`. */
export type IsoDateTime = string;

const DAY_MONTH_YEAR = /^(\d{2})-(\d{2})-(\d{4})$/;
const YEAR_MONTH_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const SPACED_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;
const LOCAL_ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?$/;

function calendarDate(year: string, month: string, day: string): IsoDate | undefined {
  const y = Number(year);
  const m = Number(month);
  const d = Number(day);
  // Date.UTC rolls 31-02 over into March; a round trip catches impossible dates.
  const probe = new Date(Date.UTC(y, m - 1, d));
  if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== m - 1 || probe.getUTCDate() !== d) return undefined;
  return `${year}-${month}-${day}`;
}

function dateTime(date: IsoDate | undefined, hours: string, minutes: string, seconds: string, millis = '0'): IsoDateTime | undefined {
  if (date === undefined || Number(hours) > 23 || Number(minutes) > 59 || Number(seconds) > 59) return undefined;
  return `${date}T${hours}:${minutes}:${seconds}.${millis.padEnd(3, '0')}${CARD91_UTC_OFFSET}`;
}

/** `17-03-2001` → `2001-03-17` (`dob`, `passportValidity`). */
export function parseDayMonthYear(text: string): IsoDate | undefined {
  const match = DAY_MONTH_YEAR.exec(text);
  return match ? calendarDate(match[3]!, match[2]!, match[1]!) : undefined;
}

/** `2024-12-12` → `2024-12-12`, validated (trip dates). */
export function parseYearMonthDay(text: string): IsoDate | undefined {
  const match = YEAR_MONTH_DAY.exec(text);
  return match ? calendarDate(match[1]!, match[2]!, match[3]!) : undefined;
}

/** `2024-07-17 05:08:28` → `2024-07-17T05:08:28.000+05:30` (transaction dates). */
export function parseSpacedDateTime(text: string): IsoDateTime | undefined {
  const match = SPACED_DATE_TIME.exec(text);
  return match ? dateTime(calendarDate(match[1]!, match[2]!, match[3]!), match[4]!, match[5]!, match[6]!) : undefined;
}

/** `2024-09-19T13:35:31.299` → `2024-09-19T13:35:31.299+05:30` (card-load dates). */
export function parseLocalIsoDateTime(text: string): IsoDateTime | undefined {
  const match = LOCAL_ISO_DATE_TIME.exec(text);
  return match ? dateTime(calendarDate(match[1]!, match[2]!, match[3]!), match[4]!, match[5]!, match[6]!, match[7]) : undefined;
}

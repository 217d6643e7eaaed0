import { describe, expect, it } from 'vitest';
import { parseDayMonthYear, parseLocalIsoDateTime, parseSpacedDateTime, parseYearMonthDay } from '../../shared/card91/dates.js';

/** Each parser refuses its text: it answers undefined, never a guess. */
function expectRefused(cases: Array<[(text: string) => string | undefined, string]>): void {
  for (const [parse, text] of cases) expect(parse(text), `${parse.name}(${text})`).toBeUndefined();
}

describe('the four Card91 date formats, one parser per field', () => {
  it('dob / passportValidity: DD-MM-YYYY → YYYY-MM-DD', () => {
    expect(parseDayMonthYear('17-03-2001')).toBe('2001-03-17');
    expect(parseDayMonthYear('29-02-2024')).toBe('2024-02-29');
  });

  it('trips: YYYY-MM-DD, validated', () => {
    expect(parseYearMonthDay('2024-12-12')).toBe('2024-12-12');
  });

  it('transactions: "YYYY-MM-DD HH:mm:ss" → ISO 8601 with the IST offset', () => {
    expect(parseSpacedDateTime('2024-07-17 05:08:28')).toBe('2024-07-17T05:08:28.000+05:30');
    expect(new Date(parseSpacedDateTime('2024-07-17 05:08:28')!).toISOString()).toBe('2024-07-16T23:38:28.000Z');
  });

  it('card loads: "YYYY-MM-DDTHH:mm:ss.SSS" (no zone) → ISO 8601 with the IST offset', () => {
    expect(parseLocalIsoDateTime('2024-09-19T13:35:31.299')).toBe('2024-09-19T13:35:31.299+05:30');
    expect(parseLocalIsoDateTime('2024-09-19T13:35:31.3')).toBe('2024-09-19T13:35:31.300+05:30');
    expect(parseLocalIsoDateTime('2024-09-19T13:35:31')).toBe('2024-09-19T13:35:31.000+05:30');
  });

  it('refuses another field’s format instead of guessing', () => {
    expectRefused([
      [parseDayMonthYear, '2001-03-17'],
      [parseYearMonthDay, '17-03-2001'],
      [parseSpacedDateTime, '2024-09-19T13:35:31.299'],
      [parseLocalIsoDateTime, '2024-07-17 05:08:28'],
      [parseLocalIsoDateTime, '2024-09-19T13:35:31.299Z'],
    ]);
  });

  it('refuses impossible dates and times', () => {
    expectRefused([
      [parseDayMonthYear, '31-02-2024'],
      [parseDayMonthYear, '29-02-2023'],
      [parseYearMonthDay, '2024-13-01'],
      [parseSpacedDateTime, '2024-07-17 24:00:00'],
      [parseLocalIsoDateTime, '2024-07-17T12:60:00.000'],
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { parseDayMonthYear, parseLocalIsoDateTime, parseSpacedDateTime, parseYearMonthDay } from '../../shared/card91/dates.js';

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
    expect(parseDayMonthYear('2001-03-17')).toBeUndefined();
    expect(parseYearMonthDay('17-03-2001')).toBeUndefined();
    expect(parseSpacedDateTime('2024-09-19T13:35:31.299')).toBeUndefined();
    expect(parseLocalIsoDateTime('2024-07-17 05:08:28')).toBeUndefined();
    expect(parseLocalIsoDateTime('2024-09-19T13:35:31.299Z')).toBeUndefined();
  });

  it('refuses impossible dates and times', () => {
    expect(parseDayMonthYear('31-02-2024')).toBeUndefined();
    expect(parseDayMonthYear('29-02-2023')).toBeUndefined();
    expect(parseYearMonthDay('2024-13-01')).toBeUndefined();
    expect(parseSpacedDateTime('2024-07-17 24:00:00')).toBeUndefined();
    expect(parseLocalIsoDateTime('2024-07-17T12:60:00.000')).toBeUndefined();
  });
});

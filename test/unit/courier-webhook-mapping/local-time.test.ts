import { describe, expect, it } from 'vitest';
import { instantText } from '../../../functions/courier-webhook/mapping/local-time.js';

describe('courier local times', () => {
  it('reads the couriers’ spellings as India time and keeps an explicit offset', () => {
    expect(['2026-04-15T11:11:00', '2026-04-15 11:11', '15 04 2026 11:11:00', '15-Apr-2026 11:11', '2026-04-15T05:41:00Z'].map((t) => instantText(t, '+05:30'))).toEqual([
      '2026-04-15T11:11:00+05:30',
      '2026-04-15T11:11:00+05:30',
      '2026-04-15T11:11:00+05:30',
      '2026-04-15T11:11:00+05:30',
      '2026-04-15T05:41:00Z',
    ]);
    expect(['2026-02-30 10:00', '2026-04-15 25:00', '0099-04-15 10:00', 'yesterday'].map((t) => instantText(t, '+05:30'))).toEqual([undefined, undefined, undefined, undefined]);
  });
});

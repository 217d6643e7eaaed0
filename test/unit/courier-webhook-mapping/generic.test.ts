import { describe, expect, it } from 'vitest';
import { readCourierPayload } from '../../../functions/courier-webhook/mapping/index.js';
import { events, OPTIONS, settings } from './fixtures.js';

describe('courier mapping: generic', () => {
  const generic = { courier: 'acme-courier', format: 'generic', tenant: 'GLOBEX_BANK', kitLookup: 'reference' } as const;
  const event = (overrides: Record<string, unknown> = {}) => ({ kitNo: '4240181595', status: 'DELIVERED', occurredAt: '2024-04-15T11:11:00+05:30', ...overrides });

  it('reads one event or a batch', () => {
    expect(events(readCourierPayload(event(), settings(generic), OPTIONS), generic)).toHaveLength(1);
    expect(
      events(readCourierPayload({ events: [event(), event({ status: 'BANK', occurredAt: '2024-04-16T11:11:00+05:30' })] }, settings(generic), OPTIONS), generic).map((e) => e.data.status),
    ).toEqual(['DELIVERED', 'BANK']);
  });

  it('gives one instant the same id however its offset is written', () => {
    const ist = events(readCourierPayload(event(), settings(generic), OPTIONS), generic)[0]!.id;
    const utc = events(readCourierPayload(event({ occurredAt: '2024-04-15T05:41:00Z' }), settings(generic), OPTIONS), generic)[0]!.id;
    expect(utc).toBe(ist);
  });

  it('lists each bad field, refuses sentences as status codes and more events than allowed', () => {
    expect(readCourierPayload({ events: [] }, settings(generic), OPTIONS)).toEqual({ kind: 'invalid', issues: [{ path: 'events', message: 'at least one event is required' }] });
    const result = readCourierPayload(event({ kitNo: 42, occurredAt: '2024-04-15 11:11', status: 'Handed to a neighbour' }), settings(generic), OPTIONS);
    expect(result.kind === 'invalid' && result.issues.map((i) => i.path)).toEqual(['kitNo', 'status', 'occurredAt']);
    expect(readCourierPayload({ events: [event(), event({ status: 'BANK' })] }, settings(generic), { ...OPTIONS, maxEvents: 1 })).toEqual({
      kind: 'invalid',
      issues: [{ path: '(root)', message: 'too many events: at most 1 per request, this one has 2' }],
    });
  });
});

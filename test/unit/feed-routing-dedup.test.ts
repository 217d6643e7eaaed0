import { describe, expect, it } from 'vitest';
import { routeLine } from '../../shared/tooling/routing.js';
import { cardControl } from '../support/events.js';

/** fauxqs takes deduplication ids SQS refuses: our own senders (`--feed`, `ops send`) never hand it one. */
describe('deduplication ids our senders use', () => {
  const consumed = new Set(['coreBanking', 'cardControls'] as const);
  const routed = (id: string) => routeLine(JSON.stringify({ ...cardControl({ action: 'FREEZE' }), id }), consumed);

  it('is the event id when SQS would take it', () => {
    expect(routed('2caec15c-441f-4461-a923-6e35436b22e5').deduplicationId).toBe('2caec15c-441f-4461-a923-6e35436b22e5');
  });

  it.each(['with space', 'é-accent', 'x'.repeat(129)])('is a digest of the body for an id SQS would refuse (%s)', (id) => {
    expect(routed(id).deduplicationId).toMatch(/^[0-9a-f]{64}$/);
  });
});

/** The local run's summary and `--report` print dead-letter and refusal reasons: personal data in them is masked. */
import { describe, expect, it } from 'vitest';
import { Accounting } from '../../local/stack/report/accounting.js';
import { buildSummary } from '../../local/stack/report/summary.js';
import { renderSummary } from '../../local/stack/report/summary-table.js';

const QUOTED = 'DCMS refused PAN ABCDE1234F, card 4111 1111 1111 1111, Aadhaar 2345 6789 0123, mobile +91 98123 45670, priya@example.org';
const PERSONAL = /ABCDE1234F|4111 1111 1111 1111|2345 6789 0123|98123 45670|priya@example\.org/;

describe('run summary and report', () => {
  it('mask the personal data dead-letter and refusal reasons quote, in the table and in the JSON report', () => {
    const at = new Date('2026-11-20T10:00:00Z');
    const dead = { messageId: 'm1', eventId: 'e1', queue: 'coreBanking' as const, category: 'Permanent', code: 'invalid.input.request', reason: QUOTED, by: 'worker' as const };
    const accounting = {
      ...new Accounting().settle(new Map()),
      deadLettered: [dead],
      missingFromDlq: [dead],
      refused: [{ line: 3, queue: 'coreBanking' as const, reason: `SQS refused it: ${QUOTED}` }],
    };
    const summary = buildSummary({
      accounting,
      startedAt: at,
      bootedAt: at,
      firstSentAt: at,
      drainedAt: at,
      dcmsUrl: 'http://dcms',
      dcmsCalls: [],
      card91Url: 'http://card91',
      card91Calls: [],
      dynamo: [],
      logFile: '/tmp/f.log',
    });
    const report = JSON.stringify(summary);
    expect(report).not.toMatch(PERSONAL);
    expect(renderSummary(summary, { color: false })).not.toMatch(PERSONAL);
    // What triage needs stays.
    expect(summary.deadLetters.events[0]).toMatchObject({ eventId: 'e1', code: 'invalid.input.request', reason: expect.stringContaining('DCMS refused PAN «pan»') });
    expect(summary.problems.refused[0]?.line).toBe(3);
  });
});

import { describe, expect, it } from 'vitest';
import { maskedBody, renderDetail, renderListing, type DeadLetterDetail, type QueueListing } from '../../ops/dlq.js';
import type { DeadLetter } from '../../shared/tooling/dlq-messages.js';
import { matches, parseFilter } from '../../ops/filters.js';
import { printable, printableJson } from '../../ops/printable.js';

const ESC = '\u001b';
const CLEAR_SCREEN = `${ESC}[2J${ESC}[H`;

/** A character a terminal acts on: C0 but newline and tab, DEL, C1, a right-to-left override. */
const hasControl = (text: string): boolean =>
  [...text].some((char) => {
    const code = char.codePointAt(0)!;
    return (code < 0x20 && code !== 0x09 && code !== 0x0a) || (code >= 0x7f && code <= 0x9f) || code === 0x202e;
  });

const deadLetter = (body: string, attributes: Record<string, string> = {}): DeadLetter => ({ messageId: 'm-1', body, attributes });

describe('ops --filter', () => {
  it('takes only the documented keys, never an inherited property name', () => {
    for (const value of ['constructor=x', 'toString=x', '__proto__=x', 'hasOwnProperty=x', 'valueOf=x']) {
      expect(() => parseFilter(value), value).toThrow(/key one of code, category, function, type, tenant/);
    }
  });

  it('refuses a filter with no value', () => {
    for (const value of ['code=,', 'code= , ', 'code=']) expect(() => parseFilter(value), value).toThrow();
  });

  it('matches any of the comma-separated values', () => {
    const filters = parseFilter('code=CUS001, SCHEMA');
    expect(filters).toEqual([{ field: 'code', values: ['CUS001', 'SCHEMA'] }]);
    expect(matches(deadLetter('{}', { 'failure.code': 'SCHEMA' }), filters)).toBe(true);
    expect(matches(deadLetter('{}', { 'failure.code': 'MCC007' }), filters)).toBe(false);
  });
});

describe('ops dlq show: bodies', () => {
  const unparseable = '{"firstName":"Priya","lastName":"Raman","dob":"1985-04-12","address":"42 Lotus Residency, Pune","pan":"ABCPV1234K" -- truncated';

  it('shows a body that is not JSON only as its length and a hash', () => {
    const masked = maskedBody(unparseable);
    expect(masked).toEqual({ unparseable: true, length: unparseable.length, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const text = renderDetail([{ queue: 'coreBanking', messageId: 'm-1', originalMessageId: 'm-1', body: masked } as DeadLetterDetail]);
    for (const secret of ['Priya', 'Raman', '1985', 'Lotus', 'ABCPV1234K']) expect(text).not.toContain(secret);
    expect(text).toContain(`${unparseable.length}`);
  });

  it('masks a JSON body by the operator allowlist: only fields known to be safe are shown', () => {
    expect(maskedBody('{"data":{"firstName":"Priya","kitNo":"K1"}}')).toEqual({ data: { firstName: '«masked»', kitNo: 'K1' } });
  });
});

describe('ops output: control characters', () => {
  it('escapes every control character but the newline and tab of our own layout', () => {
    expect(printable(`type ${CLEAR_SCREEN}x\r\u0007\u009b31m\u202eevil\nnext\tcol`)).toBe('type \\x1b[2J\\x1b[Hx\\r\\x07\\x9b31m\\u202eevil\nnext\tcol');
  });

  it('keeps JSON valid while escaping what JSON.stringify leaves raw', () => {
    const text = printableJson({ type: `a\u009bb\u202ec${ESC}` });
    expect(hasControl(text)).toBe(false);
    expect(JSON.parse(text)).toEqual({ type: `a\u009bb\u202ec${ESC}` });
  });

  it('dlq list shows an event type that clears the screen as inert text', () => {
    const listing: QueueListing = {
      queue: 'coreBanking',
      dlq: 'x-dlq',
      total: 1,
      complete: true,
      messages: [{ queue: 'coreBanking', messageId: 'm-1', originalMessageId: 'm-1', code: `UNEXPECTED${ESC}[31m`, eventType: `bank.${CLEAR_SCREEN}`, tenant: 'ACME_BANK', subject: `K1\r` }],
    };
    const text = renderListing([listing], 10);
    expect(hasControl(text)).toBe(false);
    expect(text).toContain('bank.\\x1b[2J');
  });
});

import { describe, expect, it } from 'vitest';
import { exactJsonNumber, parseWithExactNumbers, stringifyWithExactNumbers } from '../../shared/json/exact-numbers.js';

const KEYS = new Set(['accountNo', 'amount']);

describe('JSON with exact numbers', () => {
  it('reads numbers under the named keys as their source text, scale and digits past 2^53 included', () => {
    expect(parseWithExactNumbers('{"accountNo": 55555555555556783, "amount": 12.00, "count": 12.00}', KEYS)).toEqual({
      accountNo: '55555555555556783',
      amount: '12.00',
      count: 12,
    });
  });

  it('writes numeral strings under the named keys as JSON numbers, digit for digit', () => {
    const text = stringifyWithExactNumbers({ accountNo: '0055555555555556783', amount: '-0.50', note: '12.00', nested: [{ amount: '80' }] }, KEYS);
    expect(text).toBe('{"accountNo":55555555555556783,"amount":-0.50,"note":"12.00","nested":[{"amount":80}]}');
  });

  it('leaves strings that are not numerals as strings', () => {
    expect(stringifyWithExactNumbers({ accountNo: 'CID123', amount: '1e5' }, KEYS)).toBe('{"accountNo":"CID123","amount":"1e5"}');
  });

  it('writes a single exact number anywhere', () => {
    expect(JSON.stringify({ limit: exactJsonNumber('50000.0000') })).toBe('{"limit":50000.0000}');
  });
});

import { describe, expect, it } from 'vitest';
import { compareDecimals, parseDecimal } from '../../shared/card91/money.js';

describe('parseDecimal: canonical decimal strings, no float arithmetic', () => {
  it.each([
    ['250000.00', '250000'],
    ['50000.0000', '50000'],
    ['0.00', '0'],
    ['-0.00', '0'],
    ['012.50', '12.5'],
    ['+7', '7'],
    ['.5', '0.5'],
    ['5.', '5'],
    [' 80 ', '80'],
    ['1.5e3', '1500'],
    ['1E-7', '0.0000001'],
    ['123456789012345678901234.000000000000000001', '123456789012345678901234.000000000000000001'],
  ])('%s → %s', (input, expected) => {
    expect(parseDecimal(input)).toBe(expected);
  });

  it.each([
    [12, '12'],
    [12.5, '12.5'],
    [0.1, '0.1'],
    [1e21, '1000000000000000000000'],
    [-3.25, '-3.25'],
  ])('number %s → %s (from its shortest round-trip text)', (input, expected) => {
    expect(parseDecimal(input)).toBe(expected);
  });

  it.each(['', '.', '-', 'abc', '1,5', '1.2.3', '0x10', '1e999', 'Infinity', 'NaN'])('refuses %j', (input) => {
    expect(parseDecimal(input)).toBeUndefined();
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY])('refuses %s', (input) => {
    expect(parseDecimal(input)).toBeUndefined();
  });
});

describe('compareDecimals', () => {
  it.each([
    ['80', '90.0000', -1],
    ['90.01', '90', 1],
    ['90.00', '90', 0],
    ['0.1', '0.10000', 0],
    ['-1', '0', -1],
    ['99999999999999999999.99', '99999999999999999999.98', 1],
  ] as const)('%s vs %s → %i', (left, right, expected) => {
    expect(compareDecimals(left, right)).toBe(expected);
  });

  it('is exact where binary floats are not (0.1 + 0.2 vs 0.3 never arises: no addition, and 0.30000000000000004 ≠ 0.3)', () => {
    expect(compareDecimals('0.30000000000000004', '0.3')).toBe(1);
  });

  it('throws on text that is not a decimal', () => {
    expect(() => compareDecimals('ten', '1')).toThrow(RangeError);
  });
});

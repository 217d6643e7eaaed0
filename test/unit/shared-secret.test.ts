import * as crypto from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { inlineSharedSecret, matchesSharedSecret } from '../../shared/security/shared-secret.js';

vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof crypto>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

const CURRENT = 'c'.repeat(48);
const PREVIOUS = 'p'.repeat(48);

afterEach(() => {
  vi.mocked(crypto.timingSafeEqual).mockClear();
});

describe('shared secret headers (Card91 caller secret, CloudFront origin secret)', () => {
  it('accepts the current and, during a rotation, the previous value; nothing else', () => {
    expect(matchesSharedSecret(CURRENT, [CURRENT, PREVIOUS])).toBe(true);
    expect(matchesSharedSecret(PREVIOUS, [CURRENT, PREVIOUS])).toBe(true);
    expect(matchesSharedSecret(PREVIOUS, [CURRENT])).toBe(false);
    expect(matchesSharedSecret(`${CURRENT} `, [CURRENT])).toBe(false);
    expect(matchesSharedSecret('', [CURRENT])).toBe(false);
    expect(matchesSharedSecret(undefined, [CURRENT])).toBe(false);
  });

  it('compares fixed-length digests with crypto.timingSafeEqual, every accepted value whatever matched first', () => {
    const timingSafeEqual = vi.mocked(crypto.timingSafeEqual);
    expect(matchesSharedSecret(CURRENT, [CURRENT, PREVIOUS])).toBe(true);
    expect(matchesSharedSecret('short', [CURRENT, PREVIOUS])).toBe(false);
    expect(timingSafeEqual).toHaveBeenCalledTimes(4);
    for (const [a, b] of timingSafeEqual.mock.calls) expect([(a as Buffer).length, (b as Buffer).length]).toEqual([32, 32]);
  });

  it('reads an inline document without ever quoting it in an error', async () => {
    await expect(inlineSharedSecret(JSON.stringify({ current: CURRENT, previous: PREVIOUS }), 'X')()).resolves.toEqual([CURRENT, PREVIOUS]);
    expect(() => inlineSharedSecret(`{"current": "${CURRENT}"`, 'X')).toThrow(/^X is not valid JSON$/);
    expect(() => inlineSharedSecret(JSON.stringify({ current: 'too-short' }), 'X')).toThrow(/^X does not hold/);
    try {
      inlineSharedSecret(JSON.stringify({ current: 'too-short-but-secret' }), 'X');
    } catch (error) {
      expect((error as Error).message).not.toContain('too-short-but-secret');
    }
  });
});

import { describe, expect, it } from 'vitest';
import { CardFactory, expiryDate, luhnCheckDigit } from '../../sandbox/dcms/issuance.js';

const luhnValid = (pan: string) =>
  [...pan].reverse().reduce((sum, char, i) => {
    const digit = Number(char) * (i % 2 === 1 ? 2 : 1);
    return sum + (digit > 9 ? digit - 9 : digit);
  }, 0) %
    10 ===
  0;

describe('DCMS sandbox card issuance', () => {
  it('expires on the last day of the month three years on', () => {
    expect(expiryDate(new Date('2026-07-15T10:00:00Z'))).toBe('2029-07-31T00:00:00.000+00:00');
    expect(expiryDate(new Date('2025-02-01T00:00:00Z'))).toBe('2028-02-29T00:00:00.000+00:00');
    expect(expiryDate(new Date('2026-12-31T23:59:59Z'))).toBe('2029-12-31T00:00:00.000+00:00');
  });

  it('numbers kits from the seed sample and skips taken numbers', () => {
    const factory = new CardFactory();
    expect(factory.nextKit(() => false)).toBe('4240181595');
    expect(factory.nextKit((kitNo) => kitNo === '4240181596')).toBe('4240181597');
  });

  it('masks a Luhn-valid PAN and derives the product from the scheme code', () => {
    const factory = new CardFactory(() => new Date('2026-07-15T00:00:00Z'));
    const card = factory.issue({ entityId: 'E', accountNo: '1', cardType: 'VIRTUAL', schemeCode: undefined, kitNo: '1' });
    expect(card.cardNumber).toMatch(/^608040XXXXXX\d{4}$/);
    expect(card.productId).toBe('2003_VIRTUAL');
    expect(card.expDate).toBe('2029-07-31T00:00:00.000+00:00');
    expect(card.encryptedCardNumber).toMatch(/^[0-9a-f]{64}$/);
  });

  it('computes the Luhn check digit', () => {
    expect(luhnCheckDigit('7992739871')).toBe(3); // the textbook example, 79927398713
    for (const partial of ['608040000000000', '608040123456789', '608040999999999']) {
      expect(luhnValid(`${partial}${luhnCheckDigit(partial)}`), partial).toBe(true);
    }
  });
});

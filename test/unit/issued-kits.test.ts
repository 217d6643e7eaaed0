import { describe, expect, it } from 'vitest';
import { findKit, toIssuedKits } from '../../functions/core-banking-events/issued-kits.js';

const wanted = { accountNo: '000123456', cardType: 'PHYSICAL' };

describe('finding the kit issued for an account', () => {
  it('matches account numbers as DCMS stores them, without leading zeros', () => {
    const kits = toIssuedKits([{ kitNo: 'K1', accountNo: '123456', cardType: 'PHYSICAL' }]);
    expect(findKit(kits, wanted)?.kitNo).toBe('K1');
  });

  it('finds nothing when only other accounts or other card types have kits', () => {
    const kits = toIssuedKits([
      { kitNo: 'K1', accountNo: '999', cardType: 'PHYSICAL' },
      { kitNo: 'K2', accountNo: '123456', cardType: 'VIRTUAL' },
    ]);
    expect(findKit(kits, wanted)).toBeUndefined();
  });

  it("tells a second account's card of the same type apart, as the kit read by account lists them", () => {
    const kits = toIssuedKits([
      { kitNo: 'K1', accountNo: '221000182316', cardType: 'PHYSICAL', cardStatus: 'ACTIVE' },
      { kitNo: 'K2', accountNo: '221000182399', cardType: 'PHYSICAL', cardStatus: 'INACTIVE' },
    ]);
    expect(findKit(kits, { accountNo: '221000182399', cardType: 'PHYSICAL' })?.kitNo).toBe('K2');
    expect(findKit(kits, { accountNo: '221000182400', cardType: 'PHYSICAL' })).toBeUndefined();
  });

  it("counts a replaced kit as proof the account's card was issued", () => {
    const kits = toIssuedKits([{ kitNo: 'K1', accountNo: '123456', cardType: 'PHYSICAL', cardStatus: 'REPLACED' }]);
    expect(findKit(kits, wanted)?.kitNo).toBe('K1');
  });

  it('refuses to decide when a kit of that type is listed without its account, rather than risk a second card', () => {
    const kits = toIssuedKits([{ kitNo: 'K1', cardType: 'PHYSICAL' }]);
    expect(() => findKit(kits, wanted)).toThrow(expect.objectContaining({ category: 'Permanent', code: 'RECONCILE_AMBIGUOUS' }));
  });
});

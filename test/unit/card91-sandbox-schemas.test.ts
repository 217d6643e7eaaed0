import { describe, expect, it } from 'vitest';
import { cardStatusBody, loginBody, parseRequestJson, setLimitsBody } from '../../sandbox/card91/schemas.js';
import { AED_LIMIT_LINE } from '../support/card91-fixtures.js';

const line = AED_LIMIT_LINE;
/** As the sandbox reads a body: the wire text, numbers kept as written. */
const read = (body: unknown) => parseRequestJson(JSON.stringify(body));

describe('Card91 sandbox request schemas (from the reference, not the client)', () => {
  it('takes the reference’s M6 sample, amounts exactly as written', () => {
    const text =
      '{"entityType":"CARD","entityId":"CID1","limits":[{"currency":"AED","isContactLessAllowed":false,"isAtmLimitEnabled":true,"isOnlineLimitEnabled":false,"isPosLimitEnabled":true,"perAtmTxnLimit":80,"perOnlineTxnLimit":0,"perPosTxnLimit":12345678901234567.89,"perContactlessTxnLimit":0.0000}]}';
    expect(setLimitsBody.parse(parseRequestJson(text)).limits[0]).toMatchObject({ perAtmTxnLimit: '80', perPosTxnLimit: '12345678901234567.89', perContactlessTxnLimit: '0' });
  });

  it('refuses limits sent as strings: the reference types them as JSON numbers', () => {
    expect(setLimitsBody.safeParse(read({ entityType: 'CARD', entityId: 'CID1', limits: [{ ...line, perAtmTxnLimit: '80' }] })).success).toBe(false);
  });

  it('refuses the flat M6 shape of the reference’s parameter table, negative limits and switches sent as strings', () => {
    expect(setLimitsBody.safeParse(read({ entityType: 'CARD', entityId: 'CID1', ...line })).success).toBe(false);
    expect(setLimitsBody.safeParse(read({ entityType: 'CARD', entityId: 'CID1', limits: [{ ...line, perPosTxnLimit: -1 }] })).success).toBe(false);
    expect(setLimitsBody.safeParse(read({ entityType: 'CARD', entityId: 'CID1', limits: [{ ...line, isAtmLimitEnabled: 'true' }] })).success).toBe(false);
    expect(setLimitsBody.safeParse(read({ entityType: 'CARD', entityId: 'CID1', limits: [] })).success).toBe(false);
  });

  it('tells M7 from M8 by status: a block needs one of the documented reasons, a lock takes none', () => {
    expect(cardStatusBody.parse(read({ status: 'BLOCKED', blockedReason: 'LOST' }))).toEqual({ status: 'BLOCKED', blockedReason: 'LOST' });
    expect(cardStatusBody.parse(read({ status: 'UNLOCKED' }))).toEqual({ status: 'UNLOCKED' });
    expect(cardStatusBody.safeParse(read({ status: 'BLOCKED' })).success).toBe(false);
    expect(cardStatusBody.safeParse(read({ status: 'FROZEN' })).success).toBe(false);
  });

  it('takes an M1 login with 91 and ten digits, and nothing less', () => {
    expect(loginBody.safeParse(read({ mobile: '919876543210', sdkAuthToken: 't', orgId: 'OID1' })).success).toBe(true);
    expect(loginBody.safeParse(read({ mobile: '+919876543210', sdkAuthToken: 't', orgId: 'OID1' })).success).toBe(false);
    expect(loginBody.safeParse(read({ mobile: 919876543210, sdkAuthToken: 't', orgId: 'OID1' })).success).toBe(false);
    expect(loginBody.safeParse(read({ mobile: '919876543210', orgId: 'OID1' })).success).toBe(false);
  });
});

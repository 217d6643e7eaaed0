import { describe, expect, it } from 'vitest';
import { maskText } from '../../shared/observability/masking.js';
import { MASKED, maskPersonalData } from '../../shared/observability/personal-data.js';

/** A dead-lettered CloudEvent as the review found it printed whole by `ops dlq show`. */
const reviewed = {
  specversion: '1.0',
  id: 'evt-7f3a',
  source: 'urn:bank:cbs',
  type: 'bank.customer.created.v1',
  time: '2024-07-16T10:00:00Z',
  tenant: 'ACME_BANK',
  subject: 'Priya Raman',
  customername: 'Priya Raman',
  data: {
    entityId: 'C1001',
    fatherName: 'Suresh Raman',
    gender: 'FEMALE',
    dob: '1990-04-01',
    contacts: [{ type: 'MOBILE', mobile: '919812345670' }],
    addresses: [{ category: 'PERMANENT', line1: '42 Lotus Residency', city: 'PUNE', pincode: '411001' }],
    kycDocuments: [{ type: 'PAN', number: 'ABCDE1234F' }],
    accounts: [{ accountNo: '123456789012', cardType: 'PHYSICAL' }],
    remarks: 'deliver to Suresh',
  },
};

describe('what operators see of personal data (allowlist)', () => {
  it('masks a CloudEvent subject holding a name, an extension attribute with a name and data.fatherName', () => {
    const masked = maskPersonalData(reviewed);
    expect(masked.subject).toBe(MASKED);
    expect(masked.customername).toBe(MASKED);
    expect(masked.data.fatherName).toBe(MASKED);
    expect(JSON.stringify(masked)).not.toMatch(/Priya|Raman|Suresh|Lotus|1990-04|ABCDE1234F|919812345670|123456789012|411001|FEMALE/);
  });

  it('shows what triage needs: context attributes, ids, codes, categories, types and timestamps', () => {
    const masked = maskPersonalData(reviewed);
    expect(masked).toMatchObject({ specversion: '1.0', id: 'evt-7f3a', source: 'urn:bank:cbs', type: 'bank.customer.created.v1', time: '2024-07-16T10:00:00Z', tenant: 'ACME_BANK' });
    expect(masked.data).toMatchObject({ entityId: 'C1001', contacts: [{ type: 'MOBILE', mobile: '••••••••5670' }], addresses: [{ category: 'PERMANENT' }], kycDocuments: [{ type: 'PAN' }] });
    expect(masked.data.accounts[0]).toEqual({ accountNo: '••••••••9012', cardType: 'PHYSICAL' });
    expect(maskPersonalData({ kitNo: '4240181595', status: 'DELIVERED', occurredAt: '2024-07-16T10:00:00+05:30', attempts: 3, lastStatus: 'IN_TRANSIT' })).toEqual({
      kitNo: '4240181595',
      status: 'DELIVERED',
      occurredAt: '2024-07-16T10:00:00+05:30',
      attempts: 3,
      lastStatus: 'IN_TRANSIT',
    });
  });

  it('masks any field nobody declared safe, and keys that name personal data whatever their suffix', () => {
    expect(maskPersonalData({ nickname: 'Pri', newField: 'anything', panId: 'ABCDE1234F', birthDate: '1990-04-01', nameType: 'x', referredBy: 'Anil' })).toEqual({
      nickname: MASKED,
      newField: MASKED,
      panId: MASKED,
      birthDate: MASKED,
      nameType: MASKED,
      referredBy: MASKED,
    });
    // A number under an unknown key is shown unless it is long enough to be a phone, a card or an Aadhaar.
    expect(maskPersonalData({ score: 42, phoneLike: 9812345670 })).toEqual({ score: 42, phoneLike: '••••••5670' });
  });

  it('scans free text, failure messages included, for card numbers, PAN, Aadhaar, mobiles and emails', () => {
    const reason = 'DCMS refused ABCDE1234F for card 4111 1111 1111 1111 (Aadhaar 2345 6789 0123), mobile +91 98123 45670, priya@example.org';
    const masked = maskPersonalData({ reason, message: reason });
    for (const text of [masked.reason, masked.message, maskText(reason)]) {
      expect(text).not.toMatch(/ABCDE1234F|4111 1111 1111 1111|2345 6789 0123|98123 45670|priya@example\.org/);
      expect(text).toContain('DCMS refused');
    }
    expect(maskText('card 4111-1111-1111-1111')).toBe('card ••••••••••••1111');
    expect(maskText('call 9812345670 or 098123 45670')).toBe('call ••••••5670 or •••••••5670');
  });

  it('a bare value is judged by the key it is given', () => {
    expect(maskPersonalData('Priya Raman')).toBe(MASKED);
    expect(maskPersonalData('HTTP 503 for ABCDE1234F', 'reason')).toBe('HTTP 503 for «pan»');
  });
});

import { describe, expect, it } from 'vitest';
import { maskDeep, maskText, maskingReplacer } from '../../shared/observability/masking.js';

describe('log masking', () => {
  it('masks PII fields by name, keeping at most the last four characters', () => {
    const masked = maskDeep({ mobile: '919876543210', emailId: 'a@b.co', cardNumber: '608040XXXXXX6384', kycDocuments: [{ number: 'ABCDE1234F' }], line1: '42 Lotus Residency' });
    expect(masked.mobile).toBe('••••••••3210');
    expect(masked.cardNumber.endsWith('6384')).toBe(true);
    expect(masked.kycDocuments[0]?.number).not.toContain('ABCDE');
    expect(masked.line1).not.toContain('Lotus');
    expect(JSON.stringify(masked)).not.toContain('a@b.co');
  });

  it('redacts secrets entirely', () => {
    expect(maskDeep({ password: 'p', authorization: 'Bearer x', sdkAuthToken: 't' })).toEqual({ password: '«redacted»', authorization: '«redacted»', sdkAuthToken: '«redacted»' });
  });

  it('masks PANs, emails and phone numbers inside free text', () => {
    const text = maskText('card 6080401234566384 of raj@example.com, call 9812345670');
    expect(text).not.toMatch(/6080401234566384|raj@example\.com|9812345670/);
    expect(text).toContain('6384');
  });

  it('leaves correlation identifiers readable', () => {
    const logged = JSON.parse(JSON.stringify({ kitNo: '4240181595', entityId: '676765', message: 'kit 4240181595 shipped' }, maskingReplacer));
    expect(logged).toMatchObject({ kitNo: '4240181595', entityId: '676765' });
    // In free text a 10-digit kit number cannot be told from a mobile number: it is masked.
    expect(logged.message).toBe('kit ••••••1595 shipped');
  });

  it('masks the Card91 customer-detail fields in every log line, not only in the operator CLI', () => {
    const masked = maskDeep({
      panValue: 'DUMPM6643T',
      passportValue: 'Y1444157',
      passportFileNumber: 'MUM123456789',
      passportValidity: '17-03-2040',
      nameOnCard: 'ASHA RAO',
      internationalMobileNumber: '14155550123',
      addresses: [{ landmark: 'Opposite Lotus Temple', docUrl: 'https://bucket.s3.amazonaws.com/kyc/asha.pdf' }],
    });
    const text = JSON.stringify(masked);
    for (const personal of ['DUMPM6643T', 'Y1444157', 'MUM123456789', '17-03', 'ASHA', '14155550123', 'Lotus', 'asha.pdf']) expect(text).not.toContain(personal);
    expect(masked.passportValidity).toBe('••••••2040');
  });

  it('leaves the network references of a transaction (rrn, stan) readable for disputes', () => {
    expect(maskDeep({ rrn: '053984833478', stan: '000000962602' })).toEqual({ rrn: '053984833478', stan: '000000962602' });
  });
});

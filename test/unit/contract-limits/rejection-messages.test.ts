import { describe, expect, it } from 'vitest';
import { MAX_ISSUES_DESCRIBED } from '../../../shared/contracts/index.js';
import * as limits from '../../../shared/contracts/limits.js';
import { customerCreated } from '../../support/events.js';
import { failure, fill } from './fixtures.js';

describe('rejection messages never carry a value', () => {
  const SECRET = 'S3CR3T-VALUE';
  const secret = (length: number) => fill(length, SECRET);

  it('names fields and bounds only, whatever is wrong with them', () => {
    const event = customerCreated('C1', {
      firstName: secret(101),
      middleName: 42,
      gender: SECRET,
      dob: SECRET,
      addresses: [{ category: 'PERMANENT', line1: secret(256), city: 'PUNE', state: 'MH', country: 'INDIA', pincode: SECRET }],
      contacts: [{ mobile: SECRET, email: `${SECRET}@` }],
      kycDocuments: [{ type: 'PAN', number: secret(41), expiry: SECRET }],
    });
    const error = failure({ ...event, time: SECRET, subject: secret(300), [SECRET.toLowerCase()]: { nested: SECRET } });
    expect(error.code).toBe('SCHEMA');
    expect(error.message).toContain('time:');
    expect(error.message.toLowerCase()).not.toContain(SECRET.toLowerCase());
    const data = failure(event);
    expect(data.message).toContain('data.firstName: at most 100 characters');
    expect(data.message).toContain('data.addresses.0.line1: at most 255 characters');
    expect(data.message).not.toContain(SECRET);
  });

  it('does not repeat an extension attribute name the producer made up', () => {
    const name = `x${fill(300, 'y')}`;
    const error = failure({ ...customerCreated('C1'), [name]: fill(limits.EXTENSION_ATTRIBUTE_MAX + 1) });
    expect(error.message).toBe(`(attribute): at most ${limits.EXTENSION_ATTRIBUTE_MAX} characters`);
    expect(failure({ ...customerCreated('C1'), traceparent: { nested: true } }).message).toBe('traceparent: Invalid input');
  });

  it(`names at most ${MAX_ISSUES_DESCRIBED} issues and counts the rest`, () => {
    const accounts = Array.from({ length: 25 }, (_, i) => ({ accountNo: String(i), type: fill(33), currency: 'INR' }));
    const error = failure(customerCreated('C1', { accounts }));
    expect(error.message.split('; ')).toHaveLength(MAX_ISSUES_DESCRIBED + 1);
    expect(error.message).toMatch(/; and 15 more$/);
  });
});

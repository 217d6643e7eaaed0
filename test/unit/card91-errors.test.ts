import { describe, expect, it } from 'vitest';
import { FailureCategory } from '../../shared/resilience/errors.js';
import { classifyHttpStatus, classifyTransportFailure, parseRetryAfter } from '../../shared/card91/errors.js';

describe('HTTP status → IntegrationError', () => {
  it.each([400, 401, 403, 404, 405, 415, 302, 409])('%i is Permanent C91_<status> for reads and writes', (status) => {
    for (const kind of ['read', 'write'] as const) {
      const error = classifyHttpStatus('getCardSettings', status, kind, null);
      expect([error.category, error.code, error.status]).toEqual([FailureCategory.Permanent, `C91_${status}`, status]);
    }
  });

  it('429 is Transient with its Retry-After, for reads and writes', () => {
    for (const kind of ['read', 'write'] as const) {
      const error = classifyHttpStatus('blockCard', 429, kind, '3');
      expect([error.category, error.code, error.retryAfterSeconds]).toEqual([FailureCategory.Transient, 'C91_429', 3]);
    }
  });

  it.each([500, 501, 502, 503, 504])('%i on a read is Transient', (status) => {
    expect(classifyHttpStatus('getTransactions', status, 'read', null).category).toBe(FailureCategory.Transient);
  });

  it('on a write only 503 proves nothing was applied; 500/502/504 are UnknownOutcome', () => {
    expect(classifyHttpStatus('setCardLock', 503, 'write', null).category).toBe(FailureCategory.Transient);
    for (const status of [500, 502, 504]) {
      expect(classifyHttpStatus('setCardLock', status, 'write', null).category).toBe(FailureCategory.UnknownOutcome);
    }
  });

  it('messages carry method, status and code only', () => {
    expect(classifyHttpStatus('blockCard', 403, 'write', null).message).toBe('Card91 blockCard failed: HTTP 403 (C91_403)');
  });
});

describe('transport failures', () => {
  it('timeouts and network errors are Transient on reads and UnknownOutcome on writes', () => {
    expect(classifyTransportFailure('getTrips', 'read', true, new Error('x'))).toMatchObject({ category: FailureCategory.Transient, code: 'C91_TIMEOUT' });
    expect(classifyTransportFailure('getTrips', 'read', false, new Error('x'))).toMatchObject({ category: FailureCategory.Transient, code: 'C91_NETWORK' });
    expect(classifyTransportFailure('blockCard', 'write', true, new Error('x'))).toMatchObject({ category: FailureCategory.UnknownOutcome, code: 'C91_TIMEOUT' });
    expect(classifyTransportFailure('blockCard', 'write', false, new Error('x'))).toMatchObject({ category: FailureCategory.UnknownOutcome, code: 'C91_NETWORK' });
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP-dates', () => {
    const now = Date.parse('2026-11-22T10:00:00Z');
    expect(parseRetryAfter('5', now)).toBe(5);
    expect(parseRetryAfter('Sun, 22 Nov 2026 10:00:07 GMT', now)).toBe(7);
    expect(parseRetryAfter('Sun, 22 Nov 2026 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});

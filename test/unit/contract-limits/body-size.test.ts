import { describe, expect, it } from 'vitest';
import * as limits from '../../../shared/contracts/limits.js';
import { customerCreated, kitStatus } from '../../support/events.js';
import { bytes, failure, fill, parse } from './fixtures.js';

describe('body size limit', () => {
  /** A valid event padded with JSON whitespace to exactly `size` bytes. */
  const paddedTo = (size: number): string => {
    const body = JSON.stringify(kitStatus('4240181595', 'DELIVERED', '2026-11-20T10:00:00Z'));
    return body + ' '.repeat(size - bytes(body));
  };

  it('accepts a body of exactly the limit', () => {
    expect(() => parse(paddedTo(limits.EVENT_BODY_MAX_BYTES))).not.toThrow();
  });

  it('rejects one byte more as InvalidEvent TOO_LARGE naming the size and the limit', () => {
    const error = failure(paddedTo(limits.EVENT_BODY_MAX_BYTES + 1));
    expect(error.category).toBe('InvalidEvent');
    expect(error.code).toBe('TOO_LARGE');
    expect(error.message).toBe(`body is ${limits.EVENT_BODY_MAX_BYTES + 1} bytes: at most ${limits.EVENT_BODY_MAX_BYTES} bytes`);
  });

  it('counts UTF-8 bytes, not characters', () => {
    // 'ந' (Tamil) is 3 bytes: fewer characters than the limit, more bytes.
    const body = JSON.stringify({ ...customerCreated('C1'), note: fill(Math.ceil(limits.EVENT_BODY_MAX_BYTES / 3) + 1, 'ந') });
    expect(body.length).toBeLessThan(limits.EVENT_BODY_MAX_BYTES);
    expect(failure(body).code).toBe('TOO_LARGE');
  });

  it('is checked before the body is parsed', () => {
    expect(failure(`{"specversion":${' '.repeat(limits.EVENT_BODY_MAX_BYTES)}`).code).toBe('TOO_LARGE');
  });
});

import { describe, expect, it } from 'vitest';
import { computeSignature, signatureHeaderValue, verifySignature } from '../../shared/courier/signature.js';

const CURRENT = 'current-courier-signing-key-000000000001';
const PREVIOUS = 'previous-courier-signing-key-00000000002';
const body = Buffer.from('{"kitNo":"4240181595","status":"DELIVERED"}');
const NOW = 1_800_000_000;
const options = { secrets: [CURRENT], nowSeconds: NOW, toleranceSeconds: 300 };
const signed = (secret = CURRENT, timestamp = String(NOW)) => ({ timestamp, signature: signatureHeaderValue(secret, timestamp, body), body });

describe('courier webhook signature', () => {
  it('is HMAC-SHA256 over `${timestamp}.${rawBody}`, hex', () => {
    // Fixed vector, also reproducible with: printf '1700000000.{}' | openssl dgst -sha256 -hmac <key>
    expect(computeSignature('k'.repeat(32), '1700000000', Buffer.from('{}'))).toBe('0b3b35525c10b3757ffa78df69037021fc3168d8390a51a4fcb4a8d56a25b557');
  });

  it('accepts a valid signature and returns the signed timestamp', () => {
    expect(verifySignature(signed(), options)).toEqual({ ok: true, timestamp: NOW });
  });

  it('accepts either key of a rotation, and several v1 values in one header', () => {
    const rotation = { ...options, secrets: [CURRENT, PREVIOUS] };
    expect(verifySignature(signed(PREVIOUS), rotation).ok).toBe(true);
    const both = `${signed(CURRENT).signature}, ${signed(PREVIOUS).signature}`;
    expect(verifySignature({ ...signed(), signature: both }, options).ok).toBe(true);
    expect(verifySignature(signed(PREVIOUS), options)).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('ignores other schemes but needs at least one well-formed v1 value', () => {
    const { signature } = signed();
    expect(verifySignature({ ...signed(), signature: `v2=abc,${signature}` }, options).ok).toBe(true);
    expect(verifySignature({ ...signed(), signature: signature.toUpperCase().replace('V1', 'v1') }, options).ok).toBe(true);
    expect(verifySignature({ ...signed(), signature: 'v2=abc' }, options)).toEqual({ ok: false, reason: 'malformed' });
    expect(verifySignature({ ...signed(), signature: `${signature.slice(0, -2)}` }, options)).toEqual({ ok: false, reason: 'malformed' });
    expect(verifySignature({ ...signed(), signature: Array(5).fill(signature).join(',') }, options)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('refuses missing headers, a malformed timestamp and one outside the tolerance either way', () => {
    expect(verifySignature({ ...signed(), timestamp: undefined }, options)).toEqual({ ok: false, reason: 'missing' });
    expect(verifySignature({ ...signed(), signature: '' }, options)).toEqual({ ok: false, reason: 'missing' });
    expect(verifySignature(signed(CURRENT, '1.8e9'), options)).toEqual({ ok: false, reason: 'malformed' });
    expect(verifySignature(signed(CURRENT, String(NOW - 301)), options)).toEqual({ ok: false, reason: 'stale' });
    expect(verifySignature(signed(CURRENT, String(NOW + 301)), options)).toEqual({ ok: false, reason: 'stale' });
    expect(verifySignature(signed(CURRENT, String(NOW - 300)), options).ok).toBe(true);
  });

  it('binds the signature to the timestamp and to every byte of the body', () => {
    const valid = signed();
    expect(verifySignature({ ...valid, timestamp: String(NOW - 1) }, options)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifySignature({ ...valid, body: Buffer.concat([body, Buffer.from('\n')]) }, options)).toEqual({ ok: false, reason: 'mismatch' });
  });
});

import { describe, expect, it } from 'vitest';
import { paginate } from '../../shared/card91/paging.js';
import { CustomerTokenCache } from '../../shared/card91/token-cache.js';

const jwtWithExp = (exp: number) => `${Buffer.from('{"alg":"HS256"}').toString('base64url')}.${Buffer.from(JSON.stringify({ exp })).toString('base64url')}.sig`;

describe('CustomerTokenCache', () => {
  it('uses the JWT exp when the token is a JWT, minus the refresh margin', () => {
    let now = 1_000_000;
    const cache = new CustomerTokenCache({ defaultTtlMs: 60_000, refreshMarginMs: 30_000, now: () => now });
    cache.set('919876543210', jwtWithExp(1_000 + 600)); // expires at 1_600_000 ms

    now = 1_569_999;
    expect(cache.get('919876543210')).toBeDefined();
    now = 1_570_000;
    expect(cache.get('919876543210')).toBeUndefined();
  });

  it('uses the default TTL for an opaque token (Card91’s sample is not a JWT)', () => {
    let now = 0;
    const cache = new CustomerTokenCache({ defaultTtlMs: 600_000, refreshMarginMs: 30_000, now: () => now });
    cache.set('919876543210', 'C91IP_NqP44YecjzTTI/TubfPiWGmPzRaf0UJJI=');
    now = 569_999;
    expect(cache.get('919876543210')).toBe('C91IP_NqP44YecjzTTI/TubfPiWGmPzRaf0UJJI=');
    now = 570_000;
    expect(cache.get('919876543210')).toBeUndefined();
  });

  it('never lets the margin eat more than half of a short-lived token', () => {
    let now = 0;
    const cache = new CustomerTokenCache({ defaultTtlMs: 10_000, refreshMarginMs: 30_000, now: () => now });
    cache.set('919876543210', 'opaque');
    now = 4_999;
    expect(cache.get('919876543210')).toBe('opaque');
    now = 5_000;
    expect(cache.get('919876543210')).toBeUndefined();
  });

  it('invalidates only the token that was rejected, so a concurrent fresh login survives', () => {
    const cache = new CustomerTokenCache({ defaultTtlMs: 60_000 });
    cache.set('919876543210', 'fresh');
    cache.invalidate('919876543210', 'stale');
    expect(cache.get('919876543210')).toBe('fresh');
    cache.invalidate('919876543210', 'fresh');
    expect(cache.get('919876543210')).toBeUndefined();
  });

  it('keeps at most maxEntries customers, dropping the oldest', () => {
    const cache = new CustomerTokenCache({ defaultTtlMs: 60_000, maxEntries: 2 });
    cache.set('910000000001', 'a');
    cache.set('910000000002', 'b');
    cache.set('910000000003', 'c');
    expect([cache.get('910000000001'), cache.get('910000000002'), cache.get('910000000003')]).toEqual([undefined, 'b', 'c']);
  });
});

describe('paginate', () => {
  it('fetches pages 1..totalPages lazily', async () => {
    const fetched: number[] = [];
    const pages = paginate(async (page) => {
      fetched.push(page);
      return { items: [`p${page}a`, `p${page}b`], totalPages: 3 };
    });
    const first = await pages.next();
    expect(first.value).toBe('p1a');
    expect(fetched).toEqual([1]);

    const rest: string[] = [];
    for await (const item of pages) rest.push(item);
    expect(rest).toEqual(['p1b', 'p2a', 'p2b', 'p3a', 'p3b']);
    expect(fetched).toEqual([1, 2, 3]);
  });

  it('stops on an empty page even when totalPages says there is more, and on totalPages 0', async () => {
    let calls = 0;
    const items: number[] = [];
    for await (const item of paginate(async (page) => {
      calls += 1;
      return { items: page === 1 ? [1] : [], totalPages: 99 };
    })) items.push(item);
    expect([items, calls]).toEqual([[1], 2]);

    const none: unknown[] = [];
    for await (const item of paginate(async () => ({ items: [], totalPages: 0 }))) none.push(item);
    expect(none).toEqual([]);
  });
});

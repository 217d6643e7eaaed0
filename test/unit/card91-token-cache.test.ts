import { describe, expect, it } from 'vitest';
import { paginate } from '../../shared/card91/paging.js';
import { CustomerTokenCache } from '../../shared/card91/token-cache.js';

const jwtWithExp = (exp: number) => `${Buffer.from('{"alg":"HS256"}').toString('base64url')}.${Buffer.from(JSON.stringify({ exp })).toString('base64url')}.sig`;

const MOBILE = '919876543210';

/** A token cached at `setAt` is served up to just before `until`, and not from `until` on. */
function expectServedUntil(options: { defaultTtlMs: number; refreshMarginMs: number }, { token, setAt, until }: { token: string; setAt: number; until: number }): void {
  let now = setAt;
  const cache = new CustomerTokenCache({ ...options, now: () => now });
  cache.set(MOBILE, token);
  now = until - 1;
  expect(cache.get(MOBILE)).toBe(token);
  now = until;
  expect(cache.get(MOBILE)).toBeUndefined();
}

describe('CustomerTokenCache', () => {
  it('uses the JWT exp when the token is a JWT, minus the refresh margin', () => {
    // exp 1_600 s: served until the refresh margin before it, 1_570_000 ms.
    expectServedUntil({ defaultTtlMs: 60_000, refreshMarginMs: 30_000 }, { token: jwtWithExp(1_000 + 600), setAt: 1_000_000, until: 1_570_000 });
  });

  it('uses the default TTL for an opaque token (Card91’s sample is not a JWT)', () => {
    expectServedUntil({ defaultTtlMs: 600_000, refreshMarginMs: 30_000 }, { token: 'C91IP_NqP44YecjzTTI/TubfPiWGmPzRaf0UJJI=', setAt: 0, until: 570_000 });
  });

  it('never lets the margin eat more than half of a short-lived token', () => {
    expectServedUntil({ defaultTtlMs: 10_000, refreshMarginMs: 30_000 }, { token: 'opaque', setAt: 0, until: 5_000 });
  });

  it('invalidates only the token that was rejected, so a concurrent fresh login survives', () => {
    const cache = new CustomerTokenCache({ defaultTtlMs: 60_000 });
    cache.set(MOBILE, 'fresh');
    cache.invalidate(MOBILE, 'stale');
    expect(cache.get(MOBILE)).toBe('fresh');
    cache.invalidate(MOBILE, 'fresh');
    expect(cache.get(MOBILE)).toBeUndefined();
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
    }))
      items.push(item);
    expect([items, calls]).toEqual([[1], 2]);

    const none: unknown[] = [];
    for await (const item of paginate(async () => ({ items: [], totalPages: 0 }))) none.push(item);
    expect(none).toEqual([]);
  });
});

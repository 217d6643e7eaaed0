/** The sandbox's per-tenant rate limit. */
import { describe, expect, it } from 'vitest';
import { call, exceptionOf, expectEnvelope, withSandbox, type Answer } from './sandbox-setup.js';

describe('DCMS sandbox: rate limit', () => {
  it('answers 429 with Retry-After once the tenant bucket is empty', async () => {
    await withSandbox({ rateLimit: { perSecond: 0.2, burst: 3 } }, async (limited) => {
      const statuses: number[] = [];
      let last: Answer | undefined;
      for (let i = 0; i < 4; i += 1) {
        last = await call(limited.url, '/viewCustomer', { entityId: 'x' });
        statuses.push(last.status);
      }
      expect(statuses).toEqual([400, 400, 400, 429]);
      const retryAfter = Number(last!.headers.get('retry-after'));
      expect(Number.isInteger(retryAfter) && retryAfter >= 1).toBe(true);
      expectEnvelope(last!);
      expect(exceptionOf(last!)).toMatchObject({ errorCode: 'rate.limit.exceeded', httpStatus: 'TOO_MANY_REQUESTS' });

      expect((await call(limited.url, '/viewCustomer', { entityId: 'x' }, { tenant: 'OTHER_BANK' })).status).toBe(400);
      expect((await fetch(`${limited.url}/__admin/stats`)).status).toBe(200);
      expect(limited.stats().calls['/viewCustomer']).toMatchObject({ '429:rate.limit.exceeded': 1 });
    });
  });
});

import { afterAll, describe, expect, it } from 'vitest';
import { buildDcmsSandbox } from '../../sandbox/dcms/server.js';

describe('DCMS sandbox via inject', () => {
  const app = buildDcmsSandbox();
  afterAll(() => app.close());

  it('serves DCMS calls and admin endpoints without listening', async () => {
    const unknown = await app.inject({
      method: 'POST',
      url: '/registerCard',
      headers: { tenant: 'ACME_BANK', 'content-type': 'application/json' },
      payload: '{"entityId":"676765","kitInfo":[{"accountNo":8642135,"cardType":"PHYSICAL"}]}',
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ result: null, exception: { errorCode: 'CUS001' }, pagination: null });

    const stats = await app.inject({ method: 'GET', url: '/__admin/stats' });
    expect(stats.json()).toMatchObject({ calls: { '/registerCard': { '400:CUS001': 1 } } });
  });

  it('answers a wrong media type in the envelope', async () => {
    const answer = await app.inject({ method: 'POST', url: '/viewCustomer', headers: { tenant: 'ACME_BANK', 'content-type': 'text/plain' }, payload: 'x' });
    expect(answer.statusCode).toBe(415);
    expect(answer.json()).toMatchObject({ result: null, exception: { errorCode: 'unsupported.media.type' } });
  });
});

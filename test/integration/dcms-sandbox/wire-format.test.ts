/** What the sandbox puts on the wire whatever the route: exact account numbers, the envelope of an unknown path. */
import { describe, expect, it } from 'vitest';
import { customer } from './fixtures.js';
import { kitsOf, expectEnvelope, post, useDcmsSandbox } from './sandbox-setup.js';

useDcmsSandbox();

describe('DCMS sandbox: wire format', () => {
  it('keeps a 17-digit accountNo exact, in both directions', async () => {
    const accountNo = '55555555555556782';
    expect(Number(accountNo).toString()).not.toBe(accountNo); // a float would corrupt it
    await post('/register', customer('676765', { accountInfo: [{ accountNo, schemeCode: '2003' }] }));
    const raw = `{"entityId":"676765","kitInfo":[{"accountNo":${accountNo},"cardType":"PHYSICAL"}]}`;
    const issued = await post('/registerCard', undefined, { raw });
    expect(issued.text).toContain(`"accountNo":${accountNo},`);
    expect(kitsOf(issued)[0]?.accountNo).toBe(accountNo);
    const view = await post('/viewCustomer', { entityId: '676765' });
    expect(view.text.match(new RegExp(`"accountNo":${accountNo}[,}]`, 'g'))).toHaveLength(1);
    const kits = await post('/kit-manager/fetchKitsByEntityId', { entityId: '676765' });
    expect(kits.text).toContain(`"accountNo":"${accountNo}"`);
  });

  it('answers unknown paths with a 404 envelope', async () => {
    const answer = await post('/nope', {});
    expect(answer.status).toBe(404);
    expectEnvelope(answer);
  });
});

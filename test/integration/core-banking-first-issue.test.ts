import { afterEach, describe, expect, it } from 'vitest';
import { customerCreatedData } from '../../shared/contracts/index.js';
import { DcmsClient } from '../../shared/dcms/client.js';
import { toRegisterCustomer } from '../../shared/dcms/mapping.js';
import { accountOpened, customerCreated } from '../support/events.js';
import { startWorkerHarness, type WorkerHarness } from '../support/worker-harness.js';

const tenant = (verifyBeforeFirstIssue: boolean) => ({
  tenant: 'ACME_BANK',
  business: 'ACME_BANK',
  businessId: '687',
  businessType: 'ACME_BANK',
  rateLimit: { perSecond: 100, burst: 200 },
  verifyBeforeFirstIssue,
});
/** ACME_BANK's cards are issued by this integration alone. */
const ONLY_ISSUER = JSON.stringify([tenant(false)]);
const INSTA = { accountNo: '8642135', cardType: 'PHYSICAL', deliveryAddress: 'PERMANENT' } as const;

const kitReads = (harness: WorkerHarness) => Object.values(harness.dcms.stats().calls['/kit-manager/fetchKitsByEntityId'] ?? {}).reduce((a, b) => a + b, 0);

describe('core-banking worker: the read before a first card', () => {
  let harness: WorkerHarness;
  afterEach(async () => harness?.close());

  it('issues a first card without reading DCMS for a customer it registered, of a tenant that issues nowhere else', async () => {
    harness = await startWorkerHarness('coreBanking', { tenantsJson: ONLY_ISSUER });
    await harness.send([customerCreated('F1001'), accountOpened('F1001', '9900112233', 'PHYSICAL'), customerCreated('F1002'), accountOpened('F1002', '9900112234', 'VIRTUAL')]);
    await harness.drain();
    const stats = harness.dcms.stats();
    expect(stats.calls['/register']).toEqual({ '200': 2 });
    expect(stats.calls['/registerCard']).toEqual({ '200': 2 });
    expect(kitReads(harness)).toBe(0);
    expect(stats.duplicateCards).toBe(0);
    expect(await harness.deadLetters()).toHaveLength(0);
  });

  it('reads first for a tenant that also issues elsewhere (the default), and finds a card a branch issued', async () => {
    harness = await startWorkerHarness('coreBanking');
    await harness.send([customerCreated('F2001')]);
    await harness.drain();
    // A branch issues the account's card in DCMS before the bank's account event reaches us.
    await new DcmsClient({ baseUrl: harness.dcms.url }).registerCard('ACME_BANK', { entityId: 'F2001', deliveryAddress: 'PERMANENT', kitInfo: [{ accountNo: '9900112233', cardType: 'PHYSICAL' }] });
    await harness.send([accountOpened('F2001', '9900112233', 'PHYSICAL')]);
    await harness.drain();
    const stats = harness.dcms.stats();
    expect(kitReads(harness)).toBe(1);
    expect(stats.tenants.ACME_BANK?.kits).toBe(1);
    expect(stats.duplicateCards).toBe(0);
  });

  it('reads first for a customer registered outside this integration, even where the tenant issues nowhere else', async () => {
    harness = await startWorkerHarness('coreBanking', { tenantsJson: ONLY_ISSUER });
    const direct = new DcmsClient({ baseUrl: harness.dcms.url });
    await direct.register('ACME_BANK', toRegisterCustomer(customerCreatedData.parse(customerCreated('F3001', { card: INSTA }).data), tenant(false)));
    await harness.send([accountOpened('F3001', INSTA.accountNo, INSTA.cardType)]);
    await harness.drain();
    const stats = harness.dcms.stats();
    expect(kitReads(harness)).toBe(1);
    expect(stats.calls['/registerCard']).toBeUndefined();
    expect(stats.tenants.ACME_BANK?.kits).toBe(1);
  });

  it("finds the insta-card of a customer it registered in its own ledger, without a DCMS call, when the account's event comes too", async () => {
    harness = await startWorkerHarness('coreBanking', { tenantsJson: ONLY_ISSUER });
    await harness.send([customerCreated('F4001', { card: INSTA })]);
    await harness.drain();
    const callsBefore = Object.values(harness.dcms.stats().calls)
      .flatMap((outcomes) => Object.values(outcomes))
      .reduce((a, b) => a + b, 0);
    await harness.send([accountOpened('F4001', INSTA.accountNo, INSTA.cardType)]);
    await harness.drain();
    const stats = harness.dcms.stats();
    expect(
      Object.values(stats.calls)
        .flatMap((outcomes) => Object.values(outcomes))
        .reduce((a, b) => a + b, 0),
    ).toBe(callsBefore);
    expect(stats.tenants.ACME_BANK?.kits).toBe(1);
    expect(await harness.deadLetters()).toHaveLength(0);
  });

  it('covers a customer whose registration answer was lost once the reads found it, its insta-card included', async () => {
    harness = await startWorkerHarness('coreBanking', { tenantsJson: ONLY_ISSUER, env: { SETTLE_WINDOW_SECONDS: '3' } });
    // The answer to /register is lost: the customer and its insta-card are found by the reads, and covered from then on.
    harness.dcms.setFaults({ script: [{ endpoint: '/register', fault: 'commitThenDrop', times: 1 }] });
    await harness.send([customerCreated('F5001', { card: INSTA })]);
    await harness.drain();
    await harness.send([accountOpened('F5001', INSTA.accountNo, INSTA.cardType)]);
    await harness.drain();
    const stats = harness.dcms.stats();
    expect(stats.calls['/registerCard']).toBeUndefined();
    expect(stats.tenants.ACME_BANK?.kits).toBe(1);
    expect(stats.duplicateCards).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { CardFactory } from '../../sandbox/dcms/issuance.js';
import { registerRequest } from '../../sandbox/dcms/schemas.js';
import { SandboxStore } from '../../sandbox/dcms/store.js';

const profile = (entityId: string, accounts: Array<{ accountNo: string; isPrimary?: boolean }>) =>
  registerRequest.parse({
    entityId,
    entityType: 'CUSTOMER',
    businessType: 'ACME_BANK',
    business: 'ACME_BANK',
    businessId: '687',
    firstName: 'Aadhu',
    lastName: 'Chandran',
    gender: 'FEMALE',
    dob: '1978-06-01',
    addressInfo: [{ addressCategory: 'PERMANENT' }],
    communicationInfo: [{ contactNo: '9876543210' }],
    kycInfo: [{ documentType: 'PAN' }],
    accountInfo: accounts.map((account) => ({ accountType: 'SAVING', accountStatus: 'ACTIVE', ...account })),
  });

describe('DCMS sandbox store', () => {
  const clock = () => new Date('2026-11-20T10:00:00Z');

  it('counts a second card per (entityId, accountNo, cardType), whichever call issued the first', () => {
    const store = new SandboxStore(new CardFactory(clock), clock);
    const customer = store.addCustomer('ACME_BANK', profile('E1', [{ accountNo: '100' }]));
    const [insta] = store.issueCards('ACME_BANK', customer, [{ accountNo: '100', cardType: 'PHYSICAL', kitNo: '555' }]);
    store.issueCards('ACME_BANK', customer, [
      { accountNo: '100', cardType: 'VIRTUAL' },
      { accountNo: '200', cardType: 'PHYSICAL' },
    ]);
    expect(store.duplicateCards).toBe(0);
    const [second] = store.issueCards('ACME_BANK', customer, [{ accountNo: '100', cardType: 'PHYSICAL' }]);
    expect(store.duplicateCards).toBe(1);
    expect(store.cardsIssuedTwice()).toEqual([{ tenant: 'ACME_BANK', entityId: 'E1', accountNo: '100', cardType: 'PHYSICAL', kitNos: [insta!.kitNo, second!.kitNo] }]);
  });

  it('lists every kit of every tenant with its statuses', () => {
    const store = new SandboxStore(new CardFactory(clock), clock);
    const acme = store.addCustomer('ACME_BANK', profile('E1', [{ accountNo: '100' }]));
    const globex = store.addCustomer('GLOBEX_BANK', profile('E1', [{ accountNo: '100' }]));
    const [a] = store.issueCards('ACME_BANK', acme, [{ accountNo: '100', cardType: 'PHYSICAL' }]);
    const [g] = store.issueCards('GLOBEX_BANK', globex, [{ accountNo: '100', cardType: 'PHYSICAL' }]);
    store.setDeliveryStatus('GLOBEX_BANK', g!.kitNo, 'DELIVERED');
    store.setCardStatus('ACME_BANK', a!.kitNo, 'REPLACED');
    expect(store.kits()).toEqual([
      { tenant: 'ACME_BANK', kitNo: a!.kitNo, entityId: 'E1', accountNo: '100', cardType: 'PHYSICAL', cardStatus: 'REPLACED', deliveryStatus: null, deliveryHistory: [] },
      {
        tenant: 'GLOBEX_BANK',
        kitNo: g!.kitNo,
        entityId: 'E1',
        accountNo: '100',
        cardType: 'PHYSICAL',
        cardStatus: 'INACTIVE',
        deliveryStatus: 'DELIVERED',
        deliveryHistory: [{ status: 'DELIVERED', at: '2026-11-20T10:00:00.000Z' }],
      },
    ]);
    expect(store.duplicateCards).toBe(0);
  });

  it('finds an account by the customers listing it and by the kits linked to it', () => {
    const store = new SandboxStore(new CardFactory(clock), clock);
    const first = store.addCustomer('ACME_BANK', profile('E1', [{ accountNo: '100', isPrimary: true }]));
    store.addCustomer('ACME_BANK', profile('E2', [{ accountNo: '100' }]));
    store.issueCards('ACME_BANK', first, [{ accountNo: '300', cardType: 'VIRTUAL' }]);
    expect(store.accountHolders('ACME_BANK', '100')?.holders.map((h) => [h.customer.profile.entityId, h.account?.isPrimary, h.kits.length])).toEqual([
      ['E1', true, 0],
      ['E2', undefined, 0],
    ]);
    expect(store.accountHolders('ACME_BANK', '300')?.holders.map((h) => [h.customer.profile.entityId, h.account, h.kits.length])).toEqual([['E1', undefined, 1]]);
    expect(store.accountHolders('ACME_BANK', '999')).toBeUndefined();
    expect(store.accountHolders('GLOBEX_BANK', '100')).toBeUndefined();
  });

  it('counts what each tenant holds: customers, kits, and every delivery status applied to its kits (the run’s effects)', () => {
    const store = new SandboxStore(new CardFactory(clock), clock);
    const acme = store.addCustomer('ACME_BANK', profile('E1', [{ accountNo: '100' }]));
    store.addCustomer('GLOBEX_BANK', profile('E1', [{ accountNo: '100' }]));
    const [kit] = store.issueCards('ACME_BANK', acme, [
      { accountNo: '100', cardType: 'PHYSICAL' },
      { accountNo: '100', cardType: 'VIRTUAL' },
    ]);
    store.setDeliveryStatus('ACME_BANK', kit!.kitNo, 'IN_TRANSIT');
    store.setDeliveryStatus('ACME_BANK', kit!.kitNo, 'DELIVERED');
    // Refused (the tenant does not have the kit): nothing applied, nothing counted.
    expect(store.setDeliveryStatus('GLOBEX_BANK', kit!.kitNo, 'DELIVERED')).toBe(false);
    expect(store.tenantCounts()).toEqual({ ACME_BANK: { customers: 1, kits: 2 }, GLOBEX_BANK: { customers: 1, kits: 0 } });
    expect(store.holdings()).toEqual({ ACME_BANK: { customers: 1, kits: 2, deliveryStatuses: 2 }, GLOBEX_BANK: { customers: 1, kits: 0, deliveryStatuses: 0 } });
    expect(store.deliveryUpdates).toBe(2);
    store.reset();
    expect(store.tenantCounts()).toEqual({});
  });
});

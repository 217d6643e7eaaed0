import { event } from '../../local/demo/events.js';
import { ASHA } from './card91-fixtures.js';

/** Valid events of each type, with overridable data, for tests and the demo feed. */
export function customerCreated(entityId: string, data: Record<string, unknown> = {}, tenant = 'ACME_BANK') {
  return event('bank.customer.created.v1', tenant, 'urn:acme-bank:cbs', {
    entityId,
    title: 'Miss',
    firstName: 'Aadhu',
    lastName: 'Chandran',
    gender: 'FEMALE',
    dob: '1978-06-01',
    addresses: [{ category: 'PERMANENT', line1: 'Olympia Quest, Plot C1', city: 'CHENNAI', state: 'TAMILNADU', country: 'INDIA', pincode: '600032' }],
    contacts: [{ mobile: '9876543210', email: 'aadhu@example.com', notification: true }],
    kycDocuments: [{ type: 'PAN', number: 'ABCDE1234F' }],
    accounts: [{ accountNo: '8642135', type: 'SAVING', currency: 'INR', isPrimary: true, schemeCode: '2003' }],
    ...data,
  });
}

export function accountOpened(entityId: string, accountNo = '8642135', cardType = 'PHYSICAL', tenant = 'ACME_BANK') {
  return event('bank.account.opened.v1', tenant, 'urn:acme-bank:cbs', { entityId, accountNo, cardType, deliveryAddress: 'PERMANENT' });
}

export function kitStatus(kitNo: string, status: string, occurredAt: string, tenant = 'ACME_BANK') {
  return event('courier.kit.status.v1', tenant, 'urn:courier:bluedart', { kitNo, status, occurredAt, awb: '32592631260', courier: 'BLUEDART', location: 'CHENNAI' });
}

/** A card control from the bank's channels, on the Card91 sandbox's first customer's active card unless `data` says otherwise. */
export function cardControl(data: Record<string, unknown>, tenant = 'ACME_BANK') {
  return event('bank.card.control.requested.v1', tenant, 'urn:acme-bank:channels', { mobile: ASHA.mobile, cardId: ASHA.activeCard, ...data });
}

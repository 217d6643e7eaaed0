import { randomUUID } from 'node:crypto';
import { ACCOUNT_OPENED, COURIER_KIT_STATUS, CUSTOMER_CREATED, type DeliveryStatus } from '../../shared/contracts/index.js';

/** A CloudEvent as the producers send it (the contracts in shared/contracts). */
export interface DemoEvent {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  time: string;
  tenant: string;
  datacontenttype: 'application/json';
  data: Record<string, unknown>;
}

export const event = (type: string, tenant: string, source: string, data: Record<string, unknown>): DemoEvent => ({
  specversion: '1.0',
  id: randomUUID(),
  source,
  type,
  time: new Date().toISOString(),
  tenant,
  datacontenttype: 'application/json',
  data,
});

export interface Person {
  entityId: string;
  firstName: string;
  lastName: string;
  gender: 'MALE' | 'FEMALE';
  dob: string;
  mobile: string;
  city: string;
  accountNo: string;
}

export const customerCreated = (tenant: string, person: Person, card?: { cardType: 'PHYSICAL' | 'VIRTUAL' }): DemoEvent =>
  event(CUSTOMER_CREATED, tenant, `urn:${tenant.toLowerCase()}:cbs`, {
    entityId: person.entityId,
    title: person.gender === 'MALE' ? 'Mr' : 'Ms',
    firstName: person.firstName,
    lastName: person.lastName,
    gender: person.gender,
    dob: person.dob,
    addresses: [{ category: 'PERMANENT', line1: '12 Demo Street', city: person.city, state: 'DEMO STATE', country: 'INDIA', pincode: '600032' }],
    contacts: [{ mobile: person.mobile, email: `${person.firstName.toLowerCase()}.${person.entityId.toLowerCase()}@example.com`, notification: true }],
    kycDocuments: [{ type: 'PAN', number: `DEMO${person.mobile.slice(-6)}` }],
    accounts: [{ accountNo: person.accountNo, type: 'SAVING', currency: 'INR', isPrimary: true }],
    ...(card && { card: { accountNo: person.accountNo, cardType: card.cardType, deliveryAddress: 'PERMANENT' } }),
  });

export const accountOpened = (tenant: string, entityId: string, accountNo: string, cardType: 'PHYSICAL' | 'VIRTUAL'): DemoEvent =>
  event(ACCOUNT_OPENED, tenant, `urn:${tenant.toLowerCase()}:cbs`, { entityId, accountNo, cardType, deliveryAddress: 'PERMANENT' });

export const kitStatus = (tenant: string, kitNo: string, status: DeliveryStatus, occurredAt: Date): DemoEvent =>
  event(COURIER_KIT_STATUS, tenant, 'urn:courier:bluedart', {
    kitNo,
    status,
    occurredAt: occurredAt.toISOString(),
    awb: `AWB${kitNo.slice(-8)}`,
    courier: 'BLUEDART',
    location: 'CHENNAI',
  });

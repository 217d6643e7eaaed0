import { accountOpened as demoAccountOpened, customerCreated as demoCustomerCreated, type DemoEvent, type Person } from '../../local/demo/events.js';

/** The same fictional customer under every entity id: the benchmarks measure the pipeline, not the data. */
const person = (entityId: string): Person => ({
  entityId,
  firstName: 'Aadhu',
  lastName: 'Chandran',
  gender: 'FEMALE',
  dob: '1978-06-01',
  mobile: '9876543210',
  city: 'CHENNAI',
  accountNo: '8642135',
});

export type BankEvent = DemoEvent;

export const customerCreated = (entityId: string, tenant = 'ACME_BANK'): BankEvent => demoCustomerCreated(tenant, person(entityId));

export const accountOpened = (entityId: string, tenant = 'ACME_BANK'): BankEvent => demoAccountOpened(tenant, entityId, '8642135', 'PHYSICAL');

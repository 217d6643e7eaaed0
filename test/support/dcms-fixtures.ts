import { DcmsClient } from '../../shared/dcms/client.js';
import { toRegisterCustomer } from '../../shared/dcms/mapping.js';
import { customerCreatedData } from '../../shared/contracts/index.js';
import { customerCreated } from './events.js';

const ACME = { tenant: 'ACME_BANK', business: 'ACME_BANK', businessId: '687', businessType: 'ACME_BANK', rateLimit: { perSecond: 100, burst: 200 }, verifyBeforeFirstIssue: true };

/** Registers customers with an insta-card straight on the sandbox and returns the kit numbers it issued. */
export async function issueKits(dcmsUrl: string, count: number, prefix = 'K'): Promise<string[]> {
  const client = new DcmsClient({ baseUrl: dcmsUrl });
  const kits: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const data = customerCreatedData.parse({
      ...customerCreated(`${prefix}${i}`).data,
      card: { accountNo: '8642135', cardType: 'PHYSICAL', deliveryAddress: 'PERMANENT' },
    });
    const result = await client.register('ACME_BANK', toRegisterCustomer(data, ACME));
    kits.push(result.kitInfo[0]!.kitNo);
  }
  return kits;
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureOutput, type OutputCapture } from '../support/captured-output.js';
import { accountOpened, customerCreated, kitStatus } from '../support/events.js';
import { startWorkerHarness } from '../support/worker-harness.js';

const MOBILE = '9812345670';
const EMAIL = 'priya.raman@example.org';
const KYC = 'ZXCVB9876Q';
const ADDRESS = '42 Lotus Residency';
const PAN = '6080401234566384';

describe('worker logs', () => {
  let output: OutputCapture;

  // DEBUG level makes the workers log whole event payloads, the hardest case for masking.
  beforeAll(() => {
    process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
    output = captureOutput();
  });
  afterAll(() => {
    delete process.env.POWERTOOLS_LOG_LEVEL;
    output.stop();
  });

  it('carry no unmasked card number, mobile, email, KYC number or address, on success and failure paths', async () => {
    const core = await startWorkerHarness('coreBanking');
    try {
      const pii = {
        contacts: [{ mobile: MOBILE, email: EMAIL }],
        kycDocuments: [{ type: 'PAN', number: KYC }],
        addresses: [{ category: 'PERMANENT', line1: ADDRESS, city: 'PUNE', state: 'MH', country: 'INDIA', pincode: '411001' }],
        card: { accountNo: '8642135', cardType: 'VIRTUAL', deliveryAddress: 'PERMANENT' },
      };
      const invalid = customerCreated('C5002', { ...pii, dob: `not-a-date ${PAN} ${EMAIL}` });
      core.dcms.setFaults({ script: [{ endpoint: '/registerCard', fault: 'commitThenFail', times: 1 }] });
      await core.send([customerCreated('C5001', pii), invalid, accountOpened('C5001', '8642135', 'PHYSICAL'), `{"broken": "${MOBILE}`]);
      await core.drain();
    } finally {
      await core.close();
    }
    const courier = await startWorkerHarness('courier');
    try {
      await courier.send([
        {
          ...kitStatus('9999999999', 'DELIVERED', '2026-11-20T10:00:00Z'),
          data: { kitNo: '9999999999', status: 'DELIVERED', occurredAt: '2026-11-20T10:00:00Z', remarks: `handed to ${MOBILE} ${EMAIL}` },
        },
      ]);
      await courier.drain();
    } finally {
      await courier.close();
    }

    const logs = output.text();
    expect(logs).toContain('event processed');
    expect(logs).toContain('event not processed');
    expect(logs).toContain('event received');
    for (const secret of [MOBILE, EMAIL, KYC, ADDRESS, PAN]) expect(logs).not.toContain(secret);
    expect(logs).not.toMatch(/\b\d{16}\b/);
  });
});

/**
 * What `ops dlq show`, `dlq list` and `kit` print, text and JSON, for the dead letter a bank's
 * security review found printed whole: only fields known to be safe are shown, unless revealed,
 * which leaves a warning naming the command and never the values.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { marshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { disclosure, masked } from '../../ops/disclosure.js';
import { findDeadLetters, listDeadLetters, renderDetail, renderListing } from '../../ops/dlq.js';
import { lookupKit, renderKits } from '../../ops/kit.js';
import { resolveTarget, type OpsTarget } from '../../ops/target.js';
import { DLQ_ATTRIBUTES } from '../../shared/messaging/dead-letter.js';
import { capturedOutput } from '../support/captured-output.js';
import { localAws, type LocalAws } from '../support/local-aws.js';

const PERSONAL = /Priya|Raman|Suresh|ABCDE1234F|4111 1111 1111 1111|98123 45670|priya@example\.org|123456789012/;

const reviewed = {
  specversion: '1.0',
  id: 'evt-review-1',
  source: 'urn:bank:cbs',
  type: 'bank.customer.created.v1',
  time: '2026-11-20T10:00:00Z',
  tenant: 'ACME_BANK',
  subject: 'Priya Raman',
  customername: 'Priya Raman',
  data: { entityId: 'C9001', fatherName: 'Suresh Raman', contacts: [{ type: 'MOBILE', mobile: '+91 98123 45670', email: 'priya@example.org' }] },
};
const REASON = 'DCMS refused PAN ABCDE1234F for card 4111 1111 1111 1111';

let aws: LocalAws;
let target: OpsTarget;
beforeAll(async () => {
  aws = await localAws();
  const dir = await mkdtemp(join(tmpdir(), 'dlq-masking-'));
  target = await resolveTarget({ stackFile: join(dir, 'none.json'), endpointSqs: inject('sqsEndpoint'), endpointDynamodb: inject('dynamoEndpoint'), prefix: aws.prefix, max: 100 });
  const text = (value: string) => ({ DataType: 'String', StringValue: value });
  await aws.sqs.send(
    new SendMessageCommand({
      QueueUrl: aws.resources.queues.courier.dlqUrl,
      MessageBody: JSON.stringify(reviewed),
      MessageAttributes: { [DLQ_ATTRIBUTES.category]: text('Permanent'), [DLQ_ATTRIBUTES.code]: text('invalid.input.request'), [DLQ_ATTRIBUTES.message]: text(REASON) },
    }),
  );
});
afterAll(() => {
  target.sqs.destroy();
  target.dynamo.destroy();
  aws.sqs.destroy();
  aws.dynamo.destroy();
});

describe('ops dlq show and list: personal data masked by default', () => {
  it('masks the subject, an extension attribute, data.fatherName and the PAN and card number in the reason, in text and JSON', async () => {
    const found = await findDeadLetters(target, ['courier'], 'evt-review-1', masked);
    expect(found).toHaveLength(1);
    expect(JSON.stringify(found)).not.toMatch(PERSONAL);
    expect(renderDetail(found)).not.toMatch(PERSONAL);
    expect(found[0]).toMatchObject({
      eventId: 'evt-review-1',
      tenant: 'ACME_BANK',
      code: 'invalid.input.request',
      body: { subject: '«masked»', customername: '«masked»', data: { entityId: 'C9001', fatherName: '«masked»' } },
    });
    expect(found[0]!.reason).toContain('DCMS refused PAN «pan» for card ');

    const listings = await listDeadLetters(target, ['courier'], masked);
    expect(JSON.stringify(listings)).not.toMatch(PERSONAL);
    expect(renderListing(listings, 50)).not.toMatch(PERSONAL);
    expect(renderListing(listings, 50)).toContain('C9001');
  });

  it('--reveal shows the record whole and leaves a warning naming the command, never the values', async () => {
    let found: Awaited<ReturnType<typeof findDeadLetters>> = [];
    const logged = await capturedOutput(async () => {
      found = await findDeadLetters(target, ['courier'], 'evt-review-1', disclosure(true, 'dlq show'));
    });
    expect(found[0]!.body).toEqual(reviewed);
    expect(found[0]!.reason).toBe(REASON);
    const warning = JSON.parse(logged.trim().split('\n').at(-1)!) as Record<string, unknown>;
    expect(warning).toMatchObject({ level: 'WARN', message: 'personal data revealed to the operator', action: 'dlq show', service: 'ops' });
    expect(logged).not.toMatch(PERSONAL);
  });
});

describe('ops kit: masked by default', () => {
  it('shows the kit, its customer id and statuses, and only the tail of the account number', async () => {
    await aws.dynamo.send(
      new PutItemCommand({
        TableName: aws.resources.tables.integrationState,
        Item: marshall({
          pk: 'KIT#ACME_BANK#4240189001',
          sk: 'STATE',
          tenant: 'ACME_BANK',
          kitNo: '4240189001',
          entityId: 'C9001',
          accountNo: '123456789012',
          cardType: 'PHYSICAL',
          lastStatus: 'DELIVERED',
          lastOccurredAt: '2026-11-20T10:00:00Z',
        }),
      }),
    );
    const kits = masked.data(await lookupKit(target, '4240189001', ['ACME_BANK']));
    const text = renderKits(kits);
    expect(`${text}${JSON.stringify(kits)}`).not.toMatch(PERSONAL);
    expect(text).toContain('issued to C9001, account ••••••••9012, PHYSICAL card');
    expect(text).toContain('last status DELIVERED');
  });
});

/**
 * A bank's producer with the AWS SDK for JavaScript v3 and the official CloudEvents SDK
 * (docs/producers.md). test/integration/producer-example.test.ts runs it against the local SQS.
 *
 *   QUEUE_PARAMETER=/prod/producers/core-banking/queue-url npx tsx docs/examples/send-events.ts
 */
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { CloudEvent } from 'cloudevents';

/** Each queue's message group: the tenant and the entity whose events must apply in order. */
const GROUP_FIELD = {
  'bank.customer.created.v1': 'entityId',
  'bank.account.opened.v1': 'entityId',
  'bank.card.control.requested.v1': 'cardId',
} as const;
export type ProducedType = keyof typeof GROUP_FIELD;

/** The queue URL the stack publishes for this producer (`/<prefix>/producers/<producer>/queue-url`). */
export async function queueUrlFromSsm(ssm: SSMClient, parameterName: string): Promise<string> {
  const { Parameter } = await ssm.send(new GetParameterCommand({ Name: parameterName }));
  if (!Parameter?.Value) throw new Error(`${parameterName} holds no queue URL`);
  return Parameter.Value;
}

/** A CloudEvent in structured mode: the id the SDK draws (a UUID) is also the SQS deduplication id. */
export function bankEvent(type: ProducedType, tenant: string, source: string, data: Record<string, unknown>): CloudEvent<Record<string, unknown>> {
  return new CloudEvent({ type, source, tenant, datacontenttype: 'application/json; charset=utf-8', data });
}

/** Sends one event: group `tenant:<entityId or cardId>`, deduplication id = event id. Returns the SQS message id. */
export async function sendEvent(sqs: SQSClient, queueUrl: string, event: CloudEvent<Record<string, unknown>>): Promise<string> {
  const groupKey = event.data?.[GROUP_FIELD[event.type as ProducedType]];
  if (typeof groupKey !== 'string') throw new Error(`${event.type} needs data.${GROUP_FIELD[event.type as ProducedType]}`);
  const { MessageId } = await sqs.send(
    new SendMessageCommand({
      QueueUrl: queueUrl,
      MessageBody: JSON.stringify(event),
      MessageGroupId: `${String(event.tenant)}:${groupKey}`,
      MessageDeduplicationId: event.id,
    }),
  );
  return MessageId!;
}

// Run as a script: one customer, its queue URL read from SSM.
if (import.meta.url === `file://${process.argv[1]}`) {
  const queueUrl = await queueUrlFromSsm(new SSMClient({}), process.env.QUEUE_PARAMETER ?? '/dev/producers/core-banking/queue-url');
  const customer = bankEvent('bank.customer.created.v1', 'ACME_BANK', 'urn:acme-bank:cbs', {
    entityId: 'CIF000123',
    firstName: 'Aadhu',
    lastName: 'Chandran',
    gender: 'FEMALE',
    dob: '1978-06-01',
    addresses: [{ category: 'PERMANENT', line1: 'Olympia Quest, Plot C1', city: 'CHENNAI', state: 'TAMILNADU', country: 'INDIA', pincode: '600032' }],
    contacts: [{ mobile: '+919876543210' }],
    kycDocuments: [{ type: 'PAN', number: 'ABCDE1234F' }],
    accounts: [{ accountNo: '8642135', type: 'SAVING', currency: 'INR' }],
  });
  console.log(await sendEvent(new SQSClient({}), queueUrl, customer));
}

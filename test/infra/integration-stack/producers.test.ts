import { describe, expect, it } from 'vitest';
import { PRODUCERS, producerPolicyName, producerQueueUrlParameter, type ProducerKey } from '../../../infra/stacks/integration/producers.js';
import { QUEUES, queueName } from '../../../shared/config/resources.js';
import { getAtt, logicalIdOf, ref } from '../support.js';
import { keyId, prefix, queueId, settings, template } from './stack-setup.js';

/** What a bank's producer reads from the stage (docs/producers.md): its queue's URL, and the policy its role attaches. */
describe.each(Object.keys(PRODUCERS) as ProducerKey[])('producer %s', (producer) => {
  const { queue, output } = PRODUCERS[producer];
  const queueUrl = ref(queueId(queue));
  const parameterId = logicalIdOf(template, 'AWS::SSM::Parameter', 'Name', producerQueueUrlParameter(prefix, producer));
  const policyId = logicalIdOf(template, 'AWS::IAM::ManagedPolicy', 'ManagedPolicyName', producerPolicyName(prefix, producer));

  it('finds its queue URL in SSM and in the stack outputs', () => {
    template.hasResourceProperties('AWS::SSM::Parameter', { Name: `/${prefix}/producers/${PRODUCERS[producer].name}/queue-url`, Type: 'String', Value: queueUrl });
    template.hasOutput(`${output}QueueUrl`, { Value: queueUrl, Export: { Name: `${prefix}-${PRODUCERS[producer].name}-queue-url` } });
    // FIFO: the producer must send a group id and a deduplication id.
    expect(queueName(prefix, QUEUES[queue])).toMatch(/\.fifo$/);
  });

  it('attaches one customer-managed policy, exported, with exactly what sending takes', () => {
    template.hasOutput(`${output}ProducerPolicyArn`, { Value: ref(policyId), Export: { Name: `${prefix}-${PRODUCERS[producer].name}-producer-policy-arn` } });
    const { PolicyDocument } = template.findResources('AWS::IAM::ManagedPolicy')[policyId]!.Properties as { PolicyDocument: { Statement: unknown[] } };
    expect(PolicyDocument.Statement).toEqual([
      { Sid: 'SendEvents', Effect: 'Allow', Action: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'], Resource: getAtt(queueId(queue)) },
      {
        Sid: 'EncryptThroughSqs',
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: getAtt(keyId),
        Condition: { StringEquals: { 'kms:ViaService': `sqs.${settings.region}.amazonaws.com` } },
      },
      {
        Sid: 'ReadQueueUrl',
        Effect: 'Allow',
        Action: 'ssm:GetParameter',
        Resource: { 'Fn::Join': ['', [`arn:aws:ssm:${settings.region}:${settings.account}:parameter`, ref(parameterId)]] },
      },
    ]);
  });

  it('is attached to nothing by the stack: the bank attaches it to its producer role', () => {
    const { Properties } = template.findResources('AWS::IAM::ManagedPolicy')[policyId]! as { Properties: Record<string, unknown> };
    expect(Properties.Roles ?? []).toEqual([]);
  });
});

it('no producer policy for the courier queue: the webhook is its only producer', () => {
  const names = Object.values(template.findResources('AWS::IAM::ManagedPolicy')).map((r) => (r as { Properties: { ManagedPolicyName?: string } }).Properties.ManagedPolicyName);
  expect(names.filter((n) => n?.endsWith('-producer')).sort()).toEqual([`${prefix}-card-controls-producer`, `${prefix}-core-banking-producer`]);
});

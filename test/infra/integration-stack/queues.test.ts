import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { QUEUES, queueName, visibilityTimeoutSeconds } from '../../../shared/config/resources.js';
import { getAtt, logicalIdOf } from '../support.js';
import { keyId, prefix, queueId, settings, template } from './stack-setup.js';

describe('queues, from the shared description', () => {
  it.each(Object.keys(QUEUES) as (keyof typeof QUEUES)[])('%s: DLQ with redrive, retention, redrive-allow, KMS', (key) => {
    const description = QUEUES[key];
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: queueName(prefix, description),
      VisibilityTimeout: visibilityTimeoutSeconds(description),
      RedrivePolicy: { deadLetterTargetArn: getAtt(queueId(key, true)), maxReceiveCount: description.maxReceiveCount },
      KmsMasterKeyId: getAtt(keyId),
      ...(description.fifo ? { FifoQueue: true } : { FifoQueue: Match.absent() }),
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: queueName(prefix, description, true),
      MessageRetentionPeriod: description.dlqRetentionDays * 86_400,
      RedriveAllowPolicy: { redrivePermission: 'byQueue', sourceQueueArns: [`arn:aws:sqs:${settings.region}:${settings.account}:${queueName(prefix, description)}`] },
      KmsMasterKeyId: getAtt(keyId),
    });
  });

  it('core banking is a high-throughput FIFO queue', () => {
    expect(QUEUES.coreBanking.fifo && QUEUES.coreBanking.highThroughputFifo).toBe(true);
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: queueName(prefix, QUEUES.coreBanking),
      FifoQueue: true,
      DeduplicationScope: 'messageGroup',
      FifoThroughputLimit: 'perMessageGroupId',
    });
  });

  it('visibility timeout is six times the function timeout', () => {
    for (const [key, description] of Object.entries(QUEUES)) {
      const fn = template.toJSON().Resources[logicalIdOf(template, 'AWS::SQS::Queue', 'QueueName', queueName(prefix, description))];
      expect(fn.Properties.VisibilityTimeout, key).toBe(description.functionTimeoutSeconds * 6);
    }
  });

  it('every queue refuses plain HTTP', () => {
    const policies = template.findResources('AWS::SQS::QueuePolicy');
    expect(Object.keys(policies)).toHaveLength(Object.keys(QUEUES).length * 2);
    template.allResourcesProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });
});

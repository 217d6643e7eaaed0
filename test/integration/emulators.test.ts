import { DescribeTableCommand, DescribeTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { QUEUES, TABLES } from '../../shared/config/resources.js';
import { localAws } from '../support/local-aws.js';

describe('local resources from the shared description', () => {
  it('creates every queue with its DLQ and redrive policy, and every table with its TTL attribute', async () => {
    const { sqs, dynamo, resources } = await localAws();
    for (const [key, queue] of Object.entries(QUEUES) as [keyof typeof QUEUES, (typeof QUEUES)[keyof typeof QUEUES]][]) {
      const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: resources.queues[key].url, AttributeNames: ['All'] }));
      const redrive = JSON.parse(Attributes?.RedrivePolicy ?? '{}');
      expect(redrive).toEqual({ deadLetterTargetArn: resources.queues[key].dlqArn, maxReceiveCount: queue.maxReceiveCount });
      expect(Attributes?.FifoQueue === 'true').toBe(queue.fifo);
    }
    for (const [key, table] of Object.entries(TABLES) as [keyof typeof TABLES, (typeof TABLES)[keyof typeof TABLES]][]) {
      const described = await dynamo.send(new DescribeTableCommand({ TableName: resources.tables[key] }));
      expect(described.Table?.KeySchema?.[0]?.AttributeName).toBe(table.partitionKey);
      const ttl = await dynamo.send(new DescribeTimeToLiveCommand({ TableName: resources.tables[key] }));
      expect(ttl.TimeToLiveDescription?.AttributeName).toBe(table.ttlAttribute);
    }
  });
});

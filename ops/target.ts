import { InvalidArgumentError } from 'commander';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { QUEUES, TABLES, queueName, tableName, type QueueKey, type TableKey } from '../shared/config/resources.js';
import { LOCAL_AWS, localClients } from '../shared/tooling/local-aws.js';
import { isRunning, readStackFile } from '../shared/tooling/stack-file.js';
import { inspectionReader, peekReader, type DeadLetterReader } from '../shared/tooling/dlq-messages.js';

/** Where the operator CLI works: the running local stack, or SQS/DynamoDB of an AWS account. */
export interface OpsTarget {
  /** For messages: "local stack (pid 123)", "AWS eu-west-1 (profile prod), prefix prod". */
  label: string;
  prefix: string;
  sqs: SQSClient;
  dynamo: DynamoDBClient;
  /** Reads a DLQ without consuming it. */
  deadLetters: DeadLetterReader;
  /** Tenants to search when no --tenant is given. */
  tenants(): Promise<string[]>;
  /** Queues with a consumer: where `send` may route events (the others fall back, see shared/tooling/routing.ts). */
  consumers: ReadonlySet<QueueKey>;
  queueUrl(queue: QueueKey, dlq?: boolean): Promise<string>;
  queueArn(queueUrl: string): Promise<string>;
  tableName(table: TableKey): string;
}

export interface TargetOptions {
  stackFile: string;
  region?: string;
  profile?: string;
  endpointSqs?: string;
  endpointDynamodb?: string;
  prefix?: string;
  /** Most messages a DLQ listing reads on SQS (receiving is the only way to look). */
  max: number;
}

export class TargetError extends Error {}

/**
 * The target from the options: explicit AWS settings (--region/--profile, or --endpoint-* for
 * another emulator) need --prefix, the stage's resource prefix; without them, the local stack
 * described by .local/stack.json, which must be running.
 */
export async function resolveTarget(options: TargetOptions): Promise<OpsTarget> {
  const explicit = options.region ?? options.profile ?? options.endpointSqs ?? options.endpointDynamodb;
  if (explicit !== undefined) return awsTarget(options);

  const stack = await readStackFile(options.stackFile);
  if (!stack) {
    throw new TargetError(`no local stack: ${options.stackFile} does not exist. Start one with \`npm start\`, or pass --region/--profile (or --endpoint-sqs/--endpoint-dynamodb) with --prefix.`);
  }
  if (!isRunning(stack)) {
    throw new TargetError(`the local stack described in ${options.stackFile} (pid ${stack.pid}) is not running any more. Start it again with \`npm start\`.`);
  }
  const { sqs, dynamo } = localClients(stack.endpoints);
  return withNames({
    label: `local stack (pid ${stack.pid}, ${stack.endpoints.sqs})`,
    prefix: stack.prefix,
    sqs,
    dynamo,
    deadLetters: inspectionReader(stack.endpoints.sqs),
    tenants: async () => stack.tenants,
    consumers: new Set(stack.consumers),
  });
}

async function awsTarget(options: TargetOptions): Promise<OpsTarget> {
  if (!options.prefix) throw new TargetError('--prefix is required with --region, --profile or --endpoint-*: the stage resource prefix the queue and table names start with (e.g. prod).');
  const region = options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? (options.endpointSqs ? LOCAL_AWS.region : undefined);
  if (!region) throw new TargetError('no region: pass --region or set AWS_REGION.');
  // Against an emulator without AWS credentials in the environment, the emulators' dummy keys do.
  const emulatorCredentials =
    options.profile === undefined && !process.env.AWS_ACCESS_KEY_ID && (options.endpointSqs ?? options.endpointDynamodb)
      ? { credentials: { accessKeyId: LOCAL_AWS.accessKeyId, secretAccessKey: LOCAL_AWS.secretAccessKey } }
      : {};
  const common = { region, ...(options.profile && { profile: options.profile }), ...emulatorCredentials };
  const sqs = new SQSClient({ ...common, ...(options.endpointSqs && { endpoint: options.endpointSqs }) });
  const dynamo = new DynamoDBClient({ ...common, ...(options.endpointDynamodb && { endpoint: options.endpointDynamodb }) });
  const prefix = options.prefix;
  const inspectable = options.endpointSqs !== undefined && (await hasInspection(options.endpointSqs));
  return withNames({
    label: `${options.endpointSqs ? `SQS ${options.endpointSqs}` : `AWS ${region}`}${options.profile ? ` (profile ${options.profile})` : ''}, prefix ${prefix}`,
    prefix,
    sqs,
    dynamo,
    deadLetters: inspectable ? inspectionReader(options.endpointSqs!) : peekReader(sqs, { max: options.max }),
    // A deployed stack has a worker on every queue of the description.
    consumers: new Set(Object.keys(QUEUES) as QueueKey[]),
    // The stack keeps the tenants document in SSM at /<prefix>/tenants (infra/stacks/integration/runtime-configuration.ts).
    tenants: async () => {
      const ssm = new SSMClient(common);
      try {
        const { Parameter } = await ssm.send(new GetParameterCommand({ Name: `/${prefix}/tenants` }));
        return (JSON.parse(Parameter?.Value ?? '[]') as Array<{ tenant: string }>).map((t) => t.tenant);
      } catch (error) {
        throw new TargetError(`cannot read the tenants from SSM /${prefix}/tenants (${(error as Error).name}): pass --tenant`);
      } finally {
        ssm.destroy();
      }
    },
  });
}

/** fauxqs answers its inspection API; SQS and other emulators do not. */
async function hasInspection(endpoint: string): Promise<boolean> {
  try {
    const response = await fetch(new URL('/_fauxqs/queues', endpoint), { signal: AbortSignal.timeout(2_000) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

function withNames(base: Omit<OpsTarget, 'queueUrl' | 'queueArn' | 'tableName'>): OpsTarget {
  const urls = new Map<string, Promise<string>>();
  return {
    ...base,
    queueUrl(queue, dlq = false) {
      const name = queueName(base.prefix, QUEUES[queue], dlq);
      let url = urls.get(name);
      if (!url) {
        url = base.sqs.send(new GetQueueUrlCommand({ QueueName: name })).then(
          (answer) => answer.QueueUrl!,
          (error: Error) => {
            throw new TargetError(
              error.name.includes('NonExistent') || error.name === 'QueueDoesNotExist'
                ? `queue ${name} does not exist on ${base.label}: is the prefix right?`
                : `cannot reach queue ${name} on ${base.label}: ${error.name}: ${error.message}`,
            );
          },
        );
        urls.set(name, url);
      }
      return url;
    },
    async queueArn(queueUrl) {
      const { Attributes } = await base.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
      return Attributes!.QueueArn!;
    },
    tableName: (table) => tableName(base.prefix, TABLES[table]),
  };
}

/** `core-banking-events`, `coreBanking`, or the full queue name: the queue key. */
export function parseQueue(value: string): QueueKey {
  const wanted = value.replace(/-dlq/, '').replace(/\.fifo$/, '');
  for (const [key, description] of Object.entries(QUEUES) as Array<[QueueKey, (typeof QUEUES)[QueueKey]]>) {
    if (key === wanted || description.name === wanted || wanted.endsWith(`-${description.name}`)) return key;
  }
  throw new InvalidArgumentError(
    `unknown queue ${value}: one of ${Object.values(QUEUES)
      .map((q) => q.name)
      .join(', ')}`,
  );
}

import { QUEUES, TABLES, queueName, tableName } from '../../../shared/config/resources.js';
import { DCMS_LOAD } from '../../../infra/config/dcms-concurrency.js';
import { logicalIdOf, synthStage } from '../support.js';

/**
 * The dev stage, synthesized when a test file first imports this module: once per file (each test
 * file runs in its own worker), as a synth takes a while. Files that compare stages synthesize prod
 * beside it with `synthStage('prod')`.
 */
export const dev = synthStage('dev');
export const { template, settings } = dev;
export const prefix = settings.resourcePrefix;

/** The stage's one customer key. */
export const keyId = Object.keys(template.findResources('AWS::KMS::Key'))[0]!;

/** Logical ids found by the names the shared description gives the resources. */
export const queueId = (key: keyof typeof QUEUES, dlq = false) => logicalIdOf(template, 'AWS::SQS::Queue', 'QueueName', queueName(prefix, QUEUES[key], dlq));
export const tableId = (key: keyof typeof TABLES) => logicalIdOf(template, 'AWS::DynamoDB::Table', 'TableName', tableName(prefix, TABLES[key]));
export const secretId = (name: string) => logicalIdOf(template, 'AWS::SecretsManager::Secret', 'Name', `${prefix}/${name}`);
export const fnName = (service: string) => `${prefix}-${service}`;
export const fnId = (service: string) => logicalIdOf(template, 'AWS::Lambda::Function', 'FunctionName', fnName(service));

/** The workers that call DCMS: their queue, their lane and the load each puts on a tenant's DCMS budget. */
export const DCMS_WORKERS = [
  { service: 'core-banking-events', queue: 'coreBanking', lane: 'realtime', load: DCMS_LOAD.coreBanking },
  { service: 'core-banking-bulk', queue: 'coreBankingBulk', lane: 'bulk', load: DCMS_LOAD.coreBankingBulk },
  { service: 'courier-events', queue: 'courier', lane: 'realtime', load: DCMS_LOAD.courier },
] as const;

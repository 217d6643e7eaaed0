import { QUEUES, TABLES, queueName, tableName } from '../../../shared/config/resources.js';
import { deliveryStatus } from '../../../shared/contracts/courier-kit-status.js';
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
// A core-banking instance runs about 5 records at once: 10 per batch, a customer's two events one after the other in its group.
export const DCMS_WORKERS = [
  { service: 'core-banking-events', queue: 'coreBanking', lane: 'realtime', load: { share: 0.75, callsInFlight: 5 } },
  { service: 'core-banking-bulk', queue: 'coreBankingBulk', lane: 'bulk', load: { share: settings.dcms.bulkShare, callsInFlight: 5 } },
  { service: 'courier-events', queue: 'courier', lane: 'realtime', load: { share: 0.25, callsInFlight: deliveryStatus.options.length } },
] as const;

import { paginateScan, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { IssuedKit } from './dataset.js';

/**
 * The kits the workers recorded in the kit ledger for a run's customers (entity ids starting with
 * `prefix`). Read from the ledger, not from DCMS: it works the same against any DCMS, and it shows
 * that what DCMS issued was recorded. A scan is fine for a local table of a few thousand items.
 */
export async function issuedKits(dynamo: DynamoDBClient, stateTable: string, prefix: string): Promise<IssuedKit[]> {
  const kits: IssuedKit[] = [];
  const pages = paginateScan(
    { client: dynamo },
    {
      TableName: stateTable,
      ConsistentRead: true,
      FilterExpression: 'sk = :state AND begins_with(entityId, :prefix)',
      ExpressionAttributeValues: { ':state': { S: 'STATE' }, ':prefix': { S: prefix } },
      ProjectionExpression: 'tenant, kitNo',
    },
  );
  for await (const page of pages) {
    for (const item of page.Items ?? []) {
      const { tenant, kitNo } = unmarshall(item) as { tenant: string; kitNo: string };
      kits.push({ tenant, kitNo });
    }
  }
  // Scan order is by hash: sort so the demo's courier streams are the same for the same kits.
  return kits.sort((a, b) => `${a.tenant}#${a.kitNo}`.localeCompare(`${b.tenant}#${b.kitNo}`));
}

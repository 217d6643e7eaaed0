import { describe, expect, it } from 'vitest';
import { TABLES, tableName } from '../../../shared/config/resources.js';
import { getAtt, synthStage } from '../support.js';
import { keyId, prefix, template } from './stack-setup.js';

const prod = synthStage('prod');

describe('tables, from the shared description', () => {
  it.each(Object.keys(TABLES) as (keyof typeof TABLES)[])('%s: keys, TTL, on-demand, PITR, customer key', (key) => {
    const description = TABLES[key];
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: tableName(prefix, description),
      KeySchema: [{ AttributeName: description.partitionKey, KeyType: 'HASH' }, ...('sortKey' in description ? [{ AttributeName: description.sortKey, KeyType: 'RANGE' }] : [])],
      TimeToLiveSpecification: { AttributeName: description.ttlAttribute, Enabled: true },
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: getAtt(keyId) },
    });
  });

  it('idempotency records expire on the attribute Powertools writes', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', { TableName: tableName(prefix, TABLES.idempotency), TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true } });
  });

  it('prod tables are protected and retained; dev ones are not', () => {
    prod.template.allResourcesProperties('AWS::DynamoDB::Table', { DeletionProtectionEnabled: true });
    expect(Object.values(prod.template.findResources('AWS::DynamoDB::Table')).map((t) => t.DeletionPolicy)).toEqual(['Retain', 'Retain', 'Retain']);
    template.allResourcesProperties('AWS::DynamoDB::Table', { DeletionProtectionEnabled: false });
    expect(Object.values(template.findResources('AWS::DynamoDB::Table')).map((t) => t.DeletionPolicy)).toEqual(['Delete', 'Delete', 'Delete']);
  });
});

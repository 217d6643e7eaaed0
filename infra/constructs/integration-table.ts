import { AttributeType, Billing, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { tableName, type TableDescription } from '../../shared/config/resources.js';

export interface IntegrationTableProps {
  /** The table's entry in shared/config/resources.ts: name, keys and TTL attribute come from it. */
  description: TableDescription;
  prefix: string;
  key: IKey;
  /** Production: a table cannot be deleted by a stack change or by hand without first lifting this. */
  deletionProtection: boolean;
}

/** An on-demand table with point-in-time recovery, encrypted with the stage key. */
export class IntegrationTable extends Construct {
  readonly table: TableV2;

  constructor(scope: Construct, id: string, props: IntegrationTableProps) {
    super(scope, id);
    const { description } = props;
    this.table = new TableV2(this, 'Table', {
      tableName: tableName(props.prefix, description),
      partitionKey: { name: description.partitionKey, type: AttributeType.STRING },
      ...(description.sortKey !== undefined && { sortKey: { name: description.sortKey, type: AttributeType.STRING } }),
      timeToLiveAttribute: description.ttlAttribute,
      billing: Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryptionV2.customerManagedKey(props.key),
      deletionProtection: props.deletionProtection,
    });
  }
}

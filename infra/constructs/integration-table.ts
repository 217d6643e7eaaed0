import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
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

/**
 * An on-demand table with point-in-time recovery, encrypted with the stage key. `Table`, not
 * `TableV2`: TableV2 cannot render a customer-managed key in an environment-agnostic stack.
 */
export class IntegrationTable extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string, props: IntegrationTableProps) {
    super(scope, id);
    const { description } = props;
    this.table = new Table(this, 'Table', {
      tableName: tableName(props.prefix, description),
      partitionKey: { name: description.partitionKey, type: AttributeType.STRING },
      ...(description.sortKey !== undefined && { sortKey: { name: description.sortKey, type: AttributeType.STRING } }),
      timeToLiveAttribute: description.ttlAttribute,
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: props.key,
      deletionProtection: props.deletionProtection,
    });
  }
}

import { ArnFormat, Stack } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { allowLogsEncryption, restrictGrantsToAwsServices } from './key-policy.js';

/**
 * The stage's customer-managed key: queues, DLQs, tables, secrets, log groups and the alarm topic
 * (every alarm is named `<prefix>-…`, which the key policy relies on).
 * One key keeps one key policy to audit; who may read what is still decided per resource by IAM,
 * and each function is granted only the key actions its resources need.
 */
export class DataKey extends Construct {
  readonly key: Key;

  constructor(scope: Construct, id: string, props: { prefix: string; description?: string }) {
    super(scope, id);
    this.key = new Key(this, 'Key', {
      alias: `alias/${props.prefix}/data`,
      description: props.description ?? `${props.prefix}: card-issuance queues, tables, secrets, logs and alarms`,
      enableKeyRotation: true,
    });
    allowLogsEncryption(this.key);
    restrictGrantsToAwsServices(this.key);
    // CloudWatch alarms publish to the encrypted alarm topic; without this, alarm notifications are silently dropped.
    // Only on behalf of this account's alarms of this stage: the service principal alone would let CloudWatch use
    // the key for an alarm in any account (confused deputy).
    this.key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceAccount': Stack.of(this).account },
          ArnLike: { 'aws:SourceArn': Stack.of(this).formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: `${props.prefix}-*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
        },
      }),
    );
  }
}

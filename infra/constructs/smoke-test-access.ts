import { Duration, Stack } from 'aws-cdk-lib';
import { AccountPrincipal, PolicyStatement, Role } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SMOKE_TEST_RUNNER_ROLE_NAME, smokeTestRoleName } from '../smoke/names.js';

export interface SmokeTestAccessProps {
  prefix: string;
  /** The account the pipeline runs in: its smoke-test build, and only that, may take the role. */
  pipelineAccount: string;
  key: IKey;
  /** The key the test request is signed with. */
  courierSecret: ISecret;
  /** Where the test core-banking event is sent. */
  coreBankingQueue: IQueue;
  /** Queues and DLQs whose depth the test reads. */
  watchedQueues: IQueue[];
}

/**
 * The role the pipeline's post-deploy smoke test (infra/smoke/) takes in this stage's account:
 * sign one courier request, send one core-banking event, read queue depths. Nothing else.
 */
export class SmokeTestAccess extends Construct {
  readonly role: Role;

  constructor(scope: Construct, id: string, props: SmokeTestAccessProps) {
    super(scope, id);
    this.role = new Role(this, 'Role', {
      roleName: smokeTestRoleName(props.prefix),
      description: `${props.prefix}: post-deploy smoke test, run by the pipeline`,
      assumedBy: new AccountPrincipal(props.pipelineAccount).withConditions({
        ArnEquals: { 'aws:PrincipalArn': `arn:${Stack.of(this).partition}:iam::${props.pipelineAccount}:role/${SMOKE_TEST_RUNNER_ROLE_NAME}` },
      }),
      maxSessionDuration: Duration.hours(1),
    });
    const allow = (actions: string[], resources: string[]) => this.role.addToPolicy(new PolicyStatement({ actions, resources }));
    allow(['secretsmanager:GetSecretValue'], [props.courierSecret.secretArn]);
    allow(['sqs:SendMessage'], [props.coreBankingQueue.queueArn]);
    allow(
      ['sqs:GetQueueAttributes'],
      props.watchedQueues.map((q) => q.queueArn),
    );
    // The secret and the queue are encrypted with the stage key: read the one, write a data key for the other.
    allow(['kms:Decrypt', 'kms:GenerateDataKey'], [props.key.keyArn]);
  }
}

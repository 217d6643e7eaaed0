import { Stack } from 'aws-cdk-lib';
import type { CfnProject, Project } from 'aws-cdk-lib/aws-codebuild';
import { Key, type IKey } from 'aws-cdk-lib/aws-kms';
import { CfnLogGroup, LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { CfnBucket, IBucket } from 'aws-cdk-lib/aws-s3';
import type { CodePipeline } from 'aws-cdk-lib/pipelines';
import type { Construct, IConstruct } from 'constructs';
import { allowLogsEncryption, restrictGrantsToAwsServices } from '../../constructs/key-policy.js';

/** An artifact is read by the execution that wrote it; one that waits this long for an approval is stale anyway. */
const ARTIFACT_DAYS = 90;
/** An overwritten or deleted artifact is kept this long: long enough to tell what a past execution deployed. */
const REPLACED_ARTIFACT_DAYS = 30;

/** ConfirmPermissionsBroadening's construct, with the parts CDK Pipelines does not type. */
type SecurityCheck = IConstruct & { cdkDiffProject: Project };

export interface PipelineLogs {
  group: LogGroup;
  key: IKey;
}

/**
 * The pipeline's own logs (every build, the permissions check's approver function): one group,
 * encrypted with a key of its own (the artifact key is shared with the stage accounts), kept a year.
 */
export function createPipelineLogs(scope: Construct): PipelineLogs {
  const key = new Key(scope, 'LogsKey', { alias: 'alias/card-issuance-pipeline/logs', description: 'card-issuance pipeline: build and approval logs', enableKeyRotation: true });
  allowLogsEncryption(key);
  restrictGrantsToAwsServices(key);
  return { group: new LogGroup(scope, 'BuildLogs', { retention: RetentionDays.ONE_YEAR, encryptionKey: key }), key };
}

/**
 * What CDK Pipelines leaves at its defaults and the Control Tower rules ask for: the permissions
 * check logs like every other build, the approver's log group is encrypted, the artifact buckets
 * keep replaced objects, expire old ones and report changes to EventBridge, and their keys
 * allow grants to AWS services only.
 */
export function hardenPipeline(pipeline: CodePipeline, logs: PipelineLogs): void {
  const securityCheck = pipeline.node.findChild('PipelinesSecurityCheck') as SecurityCheck;
  // The other projects take it from codeBuildDefaults; this one is built outside them.
  const project = securityCheck.cdkDiffProject.node.defaultChild as CfnProject;
  project.logsConfig = { cloudWatchLogs: { status: 'ENABLED', groupName: logs.group.logGroupName } };
  logs.group.grantWrite(securityCheck.cdkDiffProject);
  for (const group of securityCheck.node.findAll().filter((c): c is CfnLogGroup => c instanceof CfnLogGroup)) group.kmsKeyId = logs.key.keyArn;

  const buckets = [pipeline.pipeline.artifactBucket, ...Object.values(pipeline.pipeline.crossRegionSupport).map((support) => support.replicationBucket)];
  for (const bucket of buckets) hardenArtifactBucket(bucket);
}

function hardenArtifactBucket(bucket: IBucket): void {
  const resource = bucket.node.defaultChild as CfnBucket;
  resource.versioningConfiguration = { status: 'Enabled' };
  resource.lifecycleConfiguration = {
    rules: [
      {
        id: 'expire-artifacts',
        status: 'Enabled',
        expirationInDays: ARTIFACT_DAYS,
        noncurrentVersionExpiration: { noncurrentDays: REPLACED_ARTIFACT_DAYS },
        abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
      },
    ],
  };
  // Native EventBridge notifications (no notification custom resource): a write outside an execution can be alerted on.
  resource.notificationConfiguration = { eventBridgeConfiguration: { eventBridgeEnabled: true } };
  if (bucket.encryptionKey === undefined) throw new Error(`${Stack.of(bucket).stackName}: pipeline artifact bucket without a KMS key`);
  restrictGrantsToAwsServices(bucket.encryptionKey);
}

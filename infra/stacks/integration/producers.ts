import { CfnOutput, Stack } from 'aws-cdk-lib';
import { ManagedPolicy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { ParameterTier, StringParameter } from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import type { WorkerQueue } from '../../constructs/worker-queue.js';
import type { StageQueues } from './queues-and-tables.js';

/**
 * The bank's systems that write to our queues, each to its own (docs/producers.md). Couriers are
 * not here: they call our webhook, which is the courier queue's only producer.
 */
export const PRODUCERS = {
  coreBanking: { name: 'core-banking', queue: 'coreBanking', output: 'CoreBanking', who: 'core banking (customer and account events)' },
  cardControls: { name: 'card-controls', queue: 'cardControls', output: 'CardControls', who: 'bank channels (card control requests)' },
} as const satisfies Record<string, { name: string; queue: keyof StageQueues; output: string; who: string }>;
export type ProducerKey = keyof typeof PRODUCERS;

/** Where a producer reads its queue's URL: `/<prefix>/producers/<producer>/queue-url`. */
export const producerQueueUrlParameter = (prefix: string, producer: ProducerKey): string => `/${prefix}/producers/${PRODUCERS[producer].name}/queue-url`;
/** The customer-managed policy a producer's role attaches: `<prefix>-<producer>-producer`. */
export const producerPolicyName = (prefix: string, producer: ProducerKey): string => `${prefix}-${PRODUCERS[producer].name}-producer`;

export interface ProducerAccess {
  queueUrl: StringParameter;
  policy: ManagedPolicy;
}

/**
 * Per producer: its queue's URL in SSM and as a stack output, and one customer-managed policy with
 * exactly what sending takes: the queue (send, look up its URL and attributes), the stage key (SQS
 * encrypts with it on the producer's behalf, so only through SQS), and that one parameter.
 */
export function exportProducerAccess(scope: Construct, props: { prefix: string; key: IKey; queues: StageQueues }): Record<ProducerKey, ProducerAccess> {
  const { prefix, key, queues } = props;
  const access = (producer: ProducerKey): ProducerAccess => {
    const { output, who, queue: queueKey } = PRODUCERS[producer];
    const { queue }: WorkerQueue = queues[queueKey];
    const queueUrl = new StringParameter(scope, `${output}ProducerQueueUrl`, {
      parameterName: producerQueueUrlParameter(prefix, producer),
      description: `URL of the queue ${who} sends to`,
      stringValue: queue.queueUrl,
      tier: ParameterTier.STANDARD,
    });
    const policy = new ManagedPolicy(scope, `${output}ProducerPolicy`, {
      managedPolicyName: producerPolicyName(prefix, producer),
      description: `${prefix}: what ${who} needs to send its events`,
      statements: [
        new PolicyStatement({ sid: 'SendEvents', actions: ['sqs:SendMessage', 'sqs:GetQueueUrl', 'sqs:GetQueueAttributes'], resources: [queue.queueArn] }),
        new PolicyStatement({
          sid: 'EncryptThroughSqs',
          actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
          resources: [key.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `sqs.${Stack.of(scope).region}.amazonaws.com` } },
        }),
        new PolicyStatement({ sid: 'ReadQueueUrl', actions: ['ssm:GetParameter'], resources: [queueUrl.parameterArn] }),
      ],
    });
    new CfnOutput(scope, `${output}QueueUrl`, { value: queue.queueUrl, description: `Queue ${who} sends to`, exportName: `${prefix}-${PRODUCERS[producer].name}-queue-url` });
    new CfnOutput(scope, `${output}ProducerPolicyArn`, {
      value: policy.managedPolicyArn,
      description: `Attach to the role of ${who}`,
      exportName: `${prefix}-${PRODUCERS[producer].name}-producer-policy-arn`,
    });
    return { queueUrl, policy };
  };
  return { coreBanking: access('coreBanking'), cardControls: access('cardControls') };
}

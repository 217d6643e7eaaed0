import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';

/** Credentials DynamoDB Local and fauxqs accept (DynamoDB Local wants letters and digits only). */
export const LOCAL_AWS = { region: 'us-east-1', accessKeyId: 'local', secretAccessKey: 'local' } as const;

export interface LocalEndpoints {
  sqs: string;
  dynamodb: string;
}

/**
 * SDK clients for the emulators. The SQS client needs its endpoint explicitly: fauxqs queue URLs
 * name a host (`sqs.<region>.localhost`) that does not resolve.
 */
export function localClients(endpoints: LocalEndpoints): { sqs: SQSClient; dynamo: DynamoDBClient } {
  const credentials = { accessKeyId: LOCAL_AWS.accessKeyId, secretAccessKey: LOCAL_AWS.secretAccessKey };
  return {
    sqs: new SQSClient({ endpoint: endpoints.sqs, region: LOCAL_AWS.region, credentials }),
    dynamo: new DynamoDBClient({ endpoint: endpoints.dynamodb, region: LOCAL_AWS.region, credentials }),
  };
}

/**
 * What a process that runs the functions needs in its environment to reach the emulators: the SDK
 * reads the endpoints, region and credentials from here; Powertools reads its switches from here too
 * (no X-Ray daemon and no CloudWatch locally).
 */
export function localAwsEnvironment(endpoints: LocalEndpoints): Record<string, string> {
  return {
    AWS_REGION: LOCAL_AWS.region,
    AWS_ACCESS_KEY_ID: LOCAL_AWS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_AWS.secretAccessKey,
    AWS_ENDPOINT_URL_SQS: endpoints.sqs,
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    POWERTOOLS_TRACE_ENABLED: 'false',
    POWERTOOLS_METRICS_DISABLED: 'true',
  };
}

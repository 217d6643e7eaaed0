import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { startEmulators, type Emulators } from '../../local/emulators.js';
import { LOCAL_AWS } from '../../shared/tooling/local-aws.js';
import { freePort } from '../../local/free-port.js';

export interface BenchAws {
  emulators: Emulators;
  sqs: SQSClient;
  dynamo: DynamoDBClient;
  stop(): Promise<void>;
}

/**
 * DynamoDB Local and fauxqs on free ports, with the environment the worker runtimes read (region,
 * credentials, endpoints; logs at ERROR, no metrics or traces), and one client of each for the bench.
 */
export async function startBenchAws(): Promise<BenchAws> {
  Object.assign(process.env, {
    AWS_REGION: LOCAL_AWS.region,
    AWS_ACCESS_KEY_ID: LOCAL_AWS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_AWS.secretAccessKey,
    POWERTOOLS_LOG_LEVEL: 'ERROR',
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_TRACE_ENABLED: 'false',
  });
  const emulators = await startEmulators({ dynamoPort: await freePort(), sqsPort: await freePort() });
  process.env.AWS_ENDPOINT_URL_SQS = emulators.sqsEndpoint;
  process.env.AWS_ENDPOINT_URL_DYNAMODB = emulators.dynamoEndpoint;
  const credentials = { accessKeyId: LOCAL_AWS.accessKeyId, secretAccessKey: LOCAL_AWS.secretAccessKey };
  const sqs = new SQSClient({ endpoint: emulators.sqsEndpoint, region: LOCAL_AWS.region, credentials });
  const dynamo = new DynamoDBClient({ endpoint: emulators.dynamoEndpoint, region: LOCAL_AWS.region, credentials });
  return {
    emulators,
    sqs,
    dynamo,
    stop: async () => {
      sqs.destroy();
      dynamo.destroy();
      await emulators.stop();
    },
  };
}

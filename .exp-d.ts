import { startEmulators, LOCAL_AWS } from './local/emulators.js';
import { DynamoDBClient, CreateTableCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
const e = await startEmulators({ dynamoPort: 8123, sqsPort: 8124 });
const d = new DynamoDBClient({ endpoint: e.dynamoEndpoint, region: LOCAL_AWS.region, credentials: LOCAL_AWS });
await d.send(new CreateTableCommand({ TableName: 't', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }] }));
for (let round = 0; round < 3; round++) {
  const t = performance.now();
  for (let i = 0; i < 200; i++) await d.send(new PutItemCommand({ TableName: 't', Item: { id: { S: `${round}-${i}` } }, ConditionExpression: 'attribute_not_exists(id)' }));
  console.log('200 sequential puts', Math.round(performance.now() - t), 'ms');
}
d.destroy(); await e.stop();

/**
 * Each sdkAuthToken opens one login (functions/card91-auth-webhook/token-replay.ts): one conditional
 * put per accepted token in the webhook-replay table, on DynamoDB Local.
 */
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoTokenReplayGuard, tokenKey } from '../../functions/card91-auth-webhook/token-replay.js';
import { localAws } from '../support/local-aws.js';

const aws = await localAws();
const table = aws.resources.tables.webhookReplay;

describe('remembered sdkAuthTokens (DynamoDB)', () => {
  it('accepts a token once, across instances, even when they race', async () => {
    const instances = [new DynamoTokenReplayGuard(aws.dynamo, table), new DynamoTokenReplayGuard(aws.dynamo, table)];
    const token = `header.payload-${Date.now()}.signature`;
    const answers = await Promise.all([...instances, ...instances].map((guard) => guard.firstUse(token, 2_000_000_000)));
    expect(answers.filter(Boolean)).toHaveLength(1);
    expect(await instances[0]!.firstUse(token, 2_000_000_000)).toBe(false);
    expect(await instances[1]!.firstUse(`${token}x`, 2_000_000_000)).toBe(true);
  });

  it('stores only the token’s SHA-256, under the webhook’s own key prefix, until the token expires', async () => {
    const token = `header.payload-${Date.now()}-stored.signature`;
    await new DynamoTokenReplayGuard(aws.dynamo, table).firstUse(token, 1_900_000_000);
    const { Item } = await aws.dynamo.send(new GetItemCommand({ TableName: table, Key: { id: { S: tokenKey(token) } }, ConsistentRead: true }));
    expect(Item).toEqual({ id: { S: expect.stringMatching(/^card91-auth#sdk-token#[0-9a-f]{64}$/) }, expiresAt: { N: '1900000000' } });
    expect(JSON.stringify(Item)).not.toContain(token);
  });
});

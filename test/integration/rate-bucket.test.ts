import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { LOCAL_AWS } from '../../shared/tooling/local-aws.js';
import { BucketRefusal, RateBucket, rateBucketPk } from '../../shared/resilience/rate-bucket.js';
import { localAws } from '../support/local-aws.js';

let table: string;
let dynamo: DynamoDBClient;
let bucket: RateBucket;
beforeAll(async () => {
  table = (await localAws()).resources.tables.integrationState;
  dynamo = new DynamoDBClient({ endpoint: inject('dynamoEndpoint'), region: LOCAL_AWS.region, credentials: LOCAL_AWS });
  bucket = new RateBucket(dynamo, table);
  return () => dynamo.destroy();
});

const tatOf = async (tenant: string) => {
  const item = await dynamo.send(new GetItemCommand({ TableName: table, Key: { pk: { S: rateBucketPk(tenant) }, sk: { S: 'BUCKET' } }, ConsistentRead: true }));
  return Number(item.Item?.tat?.N);
};

describe('RateBucket (DynamoDB Local)', () => {
  it('starts a busy period on an idle bucket and extends it while the lease fits the horizon', async () => {
    const now = Date.now();
    const started = await bucket.restart('EXTEND_BANK', now, 100);
    expect(started).toEqual({ tat: now + 100, since: now });

    await expect(bucket.extend('EXTEND_BANK', now, 100, 1_000)).resolves.toEqual({ tat: now + 200, since: now });
    // A lease that would take tat past now + horizon is refused with the bucket's tat, which says when it fits.
    await expect(bucket.extend('EXTEND_BANK', now, 900, 1_000)).rejects.toEqual(new BucketRefusal(now + 200));
    await expect(bucket.restart('EXTEND_BANK', now, 100)).rejects.toBeInstanceOf(BucketRefusal);
  });

  it('takes unspent tokens back within the busy period they were leased in', async () => {
    const now = Date.now();
    const { since } = await bucket.restart('BACK_BANK', now, 10_000);
    await expect(bucket.giveBack('BACK_BANK', Date.now(), 4_000, since!)).resolves.toBe(true);
    expect(await tatOf('BACK_BANK')).toBe(now + 6_000);
  });

  it('refuses tokens from an earlier busy period, and any hand-back that would leave the bucket idle', async () => {
    const first = Date.now() - 60_000;
    // A busy period that ended a minute ago, then a new one: tokens of the first are past history.
    await bucket.restart('STALE_BANK', first, 100);
    const now = Date.now();
    await bucket.restart('STALE_BANK', now, 5_000);
    await expect(bucket.giveBack('STALE_BANK', now, 1_000, first)).resolves.toBe(false);
    // Giving back more than the bucket is ahead of now would make room beyond the burst.
    await expect(bucket.giveBack('STALE_BANK', now, 6_000, now)).resolves.toBe(false);
    expect(await tatOf('STALE_BANK')).toBe(now + 5_000);
  });
});

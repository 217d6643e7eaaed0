import { hostname, userInfo } from 'node:os';
import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException, DeleteItemCommand, PutItemCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import * as z from 'zod';

/**
 * One redrive per DLQ at a time, held as a lease in the integration-state table
 * (`REDRIVE#<dlq>` / `LOCK`). Receiving a dead letter already hides it from a second run, but not
 * the new dead letter a failing copy becomes: only the run that moved it knows not to move it again.
 * Two runs at once would each move the other's comebacks, so the second one moves nothing.
 */
const lockItem = z.object({ runId: z.string(), holder: z.string(), startedAt: z.string(), leaseUntil: z.number() });
export type RedriveLockHolder = Pick<z.infer<typeof lockItem>, 'holder' | 'startedAt'>;

/** Long enough to outlast a slow DynamoDB call, short enough that a crashed run frees the DLQ soon. */
const LEASE_MS = 60_000;
const RENEW_EVERY_MS = LEASE_MS / 3;

export interface RedriveLock {
  release(): Promise<void>;
}

export interface LockTable {
  dynamo: DynamoDBClient;
  tableName: string;
}

const keyOf = (dlq: string) => marshall({ pk: `REDRIVE#${dlq}`, sk: 'LOCK' });

/** Takes the DLQ's lease (renewed while the run lasts), or says who holds it. */
export async function acquireRedriveLock(table: LockTable, dlq: string, now = Date.now): Promise<{ lock: RedriveLock } | { busy: RedriveLockHolder }> {
  const runId = randomUUID();
  const key = keyOf(dlq);
  const leaseUntil = () => now() + LEASE_MS;
  try {
    const item = { runId, holder: `${userInfo().username}@${hostname()} pid ${process.pid}`, startedAt: new Date(now()).toISOString(), leaseUntil: leaseUntil() };
    await table.dynamo.send(
      new PutItemCommand({
        TableName: table.tableName,
        Item: { ...key, ...marshall({ ...item, expiresAt: Math.ceil(item.leaseUntil / 1_000) + 3_600 }) },
        ConditionExpression: 'attribute_not_exists(pk) OR leaseUntil < :now',
        ExpressionAttributeValues: marshall({ ':now': now() }),
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    const held = lockItem.safeParse(error.Item ? unmarshall(error.Item) : undefined);
    return { busy: held.success ? { holder: held.data.holder, startedAt: held.data.startedAt } : { holder: 'another run', startedAt: 'unknown' } };
  }
  const owned = { ConditionExpression: 'runId = :runId', ExpressionAttributeValues: marshall({ ':runId': runId }) };
  const renewal = setInterval(() => {
    const until = leaseUntil();
    table.dynamo
      .send(
        new UpdateItemCommand({
          TableName: table.tableName,
          Key: key,
          UpdateExpression: 'SET leaseUntil = :until, expiresAt = :expires',
          ...owned,
          ExpressionAttributeValues: marshall({ ':runId': runId, ':until': until, ':expires': Math.ceil(until / 1_000) + 3_600 }),
        }),
      )
      // A missed renewal is retried at the next tick; the lease outlasts two of them.
      .catch(() => undefined);
  }, RENEW_EVERY_MS);
  renewal.unref();
  return {
    lock: {
      async release() {
        clearInterval(renewal);
        await table.dynamo.send(new DeleteItemCommand({ TableName: table.tableName, Key: key, ...owned })).catch((error: unknown) => {
          // Taken over after a lapsed lease: the other run's lock is not ours to delete.
          if (!(error instanceof ConditionalCheckFailedException)) throw error;
        });
      },
    },
  };
}

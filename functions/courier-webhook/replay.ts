import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException, DeleteItemCommand, PutItemCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import * as z from 'zod';

/**
 * Replay protection. A signed request is identified by (courier, signed timestamp, SHA-256 of the
 * raw body): all three are covered by the signature, so an attacker cannot vary them, whereas the
 * signature header itself can be varied (drop one of two `v1=` values) and is no key.
 *
 * A request is claimed (IN_PROGRESS) right before its events are queued and marked COMPLETED with
 * the accepted event ids after; a failed enqueue releases the claim so the courier's retry of the
 * very same request goes through. The record only has to outlive the signature window: after it,
 * the timestamp check refuses the request anyway.
 *
 * Replay answer (our choice): a request seen and COMPLETED before is answered 200 with the ids it
 * was accepted with, and nothing is queued again. It is what a courier whose response got lost
 * needs to stop retrying, and it gives an attacker replaying a captured request nothing: no effect,
 * and no information the captured request did not hold. A request still IN_PROGRESS (a concurrent
 * duplicate) is answered 409 with Retry-After, since its outcome is not known yet.
 */
export type ReplayClaim = { kind: 'claimed' } | { kind: 'completed'; eventIds: string[] } | { kind: 'inProgress' };

export interface ReplayGuard {
  /** `lockedUntilMs`: when an unfinished claim may be taken over (the function's own deadline). */
  claim(key: string, options: { expiresAtSeconds: number; lockedUntilMs: number }): Promise<ReplayClaim>;
  complete(key: string, eventIds: readonly string[]): Promise<void>;
  release(key: string): Promise<void>;
}

export const replayKey = (courier: string, timestamp: number, body: Uint8Array): string =>
  `courier-webhook#${courier}#${timestamp}#${createHash('sha256').update(body).digest('hex')}`;

const IN_PROGRESS = 'IN_PROGRESS';
const COMPLETED = 'COMPLETED';

const storedRecord = z.object({ state: z.enum([IN_PROGRESS, COMPLETED]), eventIds: z.array(z.string()).optional() });

/** The replay records in the webhook-replay table (`id` key, `expiresAt` TTL in epoch seconds). */
export class DynamoReplayGuard implements ReplayGuard {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly now: () => number = Date.now,
  ) {}

  async claim(key: string, options: { expiresAtSeconds: number; lockedUntilMs: number }): Promise<ReplayClaim> {
    const nowMs = this.now();
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: marshall({ id: key, state: IN_PROGRESS, expiresAt: options.expiresAtSeconds, lockedUntil: options.lockedUntilMs }),
          // TTL deletion lags by up to days, so an expired record counts as absent; so does an
          // unfinished claim whose function is past its deadline (it crashed or timed out).
          ConditionExpression: 'attribute_not_exists(id) OR expiresAt < :nowSeconds OR (#state = :inProgress AND lockedUntil < :nowMs)',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: marshall({ ':nowSeconds': Math.floor(nowMs / 1_000), ':nowMs': nowMs, ':inProgress': IN_PROGRESS }),
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { kind: 'claimed' };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const existing = storedRecord.parse(unmarshall(error.Item ?? {}));
      return existing.state === COMPLETED ? { kind: 'completed', eventIds: existing.eventIds ?? [] } : { kind: 'inProgress' };
    }
  }

  async complete(key: string, eventIds: readonly string[]): Promise<void> {
    await this.client.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: marshall({ id: key }),
        UpdateExpression: 'SET #state = :completed, eventIds = :eventIds REMOVE lockedUntil',
        ConditionExpression: 'attribute_exists(id)',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: marshall({ ':completed': COMPLETED, ':eventIds': [...eventIds] }),
      }),
    );
  }

  async release(key: string): Promise<void> {
    await this.client.send(
      new DeleteItemCommand({
        TableName: this.tableName,
        Key: marshall({ id: key }),
        ConditionExpression: '#state = :inProgress',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: marshall({ ':inProgress': IN_PROGRESS }),
      }),
    );
  }
}

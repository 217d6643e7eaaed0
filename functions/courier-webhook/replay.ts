import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException, DeleteItemCommand, GetItemCommand, PutItemCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import * as z from 'zod';
import type { Credentials } from './authenticate.js';

/**
 * Replay protection. A signed request is identified by (courier, signed timestamp, SHA-256 of the
 * raw body): all three are covered by the signature, so an attacker cannot vary them, whereas the
 * signature header itself can be varied (drop one of two `v1=` values) and is no key. A request of
 * a token integration has no signed timestamp: it is identified by (courier, SHA-256 of the body)
 * for a day, which is what a courier's retries of one push need (the same body is the same scans,
 * whose events carry the same ids anyway).
 *
 * Every authenticated request is first looked up (`peek`, one read): a replay is answered from its
 * record before it costs a rate-limit token, a mapping or a queue message. A new request is claimed
 * (IN_PROGRESS) right before its events are queued and marked COMPLETED with the accepted event ids
 * after; a failed enqueue releases the claim so the courier's retry of the very same request goes
 * through. A signed request's record only has to outlive the signature window: after it, the
 * timestamp check refuses the request anyway.
 *
 * Replay answer (our choice): a request seen and COMPLETED before is answered 200 with the ids it
 * was accepted with, and nothing is queued again. It is what a courier whose response got lost
 * needs to stop retrying, and it gives an attacker replaying a captured request nothing: no effect,
 * and no information the captured request did not hold. A request still IN_PROGRESS (a concurrent
 * duplicate) is answered 409 with Retry-After, since its outcome is not known yet.
 */
export type ReplayClaim = { kind: 'claimed' } | { kind: 'completed'; eventIds: string[] } | { kind: 'inProgress' };

/** What the replay table knows of a request: nothing (`new`), or a claim on it. */
export type ReplayState = { kind: 'new' } | Exclude<ReplayClaim, { kind: 'claimed' }>;

export interface ReplayGuard {
  /** The request's record as it stands, without claiming it (one consistent read). */
  peek(key: string): Promise<ReplayState>;
  /** `lockedUntilMs`: when an unfinished claim may be taken over (the function's own deadline). */
  claim(key: string, options: { expiresAtSeconds: number; lockedUntilMs: number }): Promise<ReplayClaim>;
  complete(key: string, eventIds: readonly string[]): Promise<void>;
  release(key: string): Promise<void>;
}

const sha256 = (body: Uint8Array): string => createHash('sha256').update(body).digest('hex');

export const replayKey = (courier: string, timestamp: number, body: Uint8Array): string => `courier-webhook#${courier}#${timestamp}#${sha256(body)}`;

/** Signed timestamps may be this far off beyond the tolerance (clock drift between instances). */
const CLOCK_SKEW_SECONDS = 60;
/** How long a token integration's request is remembered: a courier's retries of one push fall within it. */
export const TOKEN_REPLAY_SECONDS = 86_400;

/** The replay record of an authenticated request: its key and when it may be forgotten. */
export function replayRecord(
  courier: string,
  credentials: Credentials,
  body: Uint8Array,
  options: { nowSeconds: number; signatureToleranceSeconds: number },
): { key: string; expiresAtSeconds: number } {
  if (credentials.kind === 'signed') {
    return { key: replayKey(courier, credentials.timestamp, body), expiresAtSeconds: credentials.timestamp + options.signatureToleranceSeconds + CLOCK_SKEW_SECONDS };
  }
  return { key: `courier-webhook#${courier}#token#${sha256(body)}`, expiresAtSeconds: options.nowSeconds + TOKEN_REPLAY_SECONDS };
}

const IN_PROGRESS = 'IN_PROGRESS';
const COMPLETED = 'COMPLETED';

const storedRecord = z.object({
  state: z.enum([IN_PROGRESS, COMPLETED]),
  eventIds: z.array(z.string()).optional(),
  expiresAt: z.number().optional(),
  lockedUntil: z.number().optional(),
});

/** The replay records in the webhook-replay table (`id` key, `expiresAt` TTL in epoch seconds). */
export class DynamoReplayGuard implements ReplayGuard {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly now: () => number = Date.now,
  ) {}

  async peek(key: string): Promise<ReplayState> {
    const nowMs = this.now();
    const { Item } = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: marshall({ id: key }), ConsistentRead: true }));
    if (!Item) return { kind: 'new' };
    const record = storedRecord.parse(unmarshall(Item));
    // The same rules as the claim's condition: an expired record, or an abandoned claim, is no claim.
    if (record.expiresAt !== undefined && record.expiresAt < Math.floor(nowMs / 1_000)) return { kind: 'new' };
    if (record.state === COMPLETED) return { kind: 'completed', eventIds: record.eventIds ?? [] };
    return record.lockedUntil !== undefined && record.lockedUntil < nowMs ? { kind: 'new' } : { kind: 'inProgress' };
  }

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

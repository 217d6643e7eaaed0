import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { TOKEN_KEY_PREFIX } from '../../shared/card91/auth-webhook-contract.js';

/**
 * Each sdkAuthToken opens one login: the webhook remembers the tokens it accepted until they
 * expire, and refuses a token it has seen. Only the token's SHA-256 is stored: a hash of a
 * high-entropy token cannot be turned back into it, and the table holds no mobile.
 */
export interface TokenReplayGuard {
  /** True the first time a token is presented; false on every later presentation, on any instance. */
  firstUse(token: string, expiresAtSeconds: number): Promise<boolean>;
}

export const tokenKey = (token: string): string => `${TOKEN_KEY_PREFIX}${createHash('sha256').update(token, 'utf8').digest('hex')}`;

/**
 * The webhook-replay table (`id`, TTL `expiresAt`): one conditional put per accepted token, so two
 * instances presented the same token at once cannot both accept it. TTL deletion lags by up to
 * days; an expired token is refused by its `exp` before it gets here, so a lingering item is harmless.
 */
export class DynamoTokenReplayGuard implements TokenReplayGuard {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async firstUse(token: string, expiresAtSeconds: number): Promise<boolean> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: { id: { S: tokenKey(token) }, expiresAt: { N: String(expiresAtSeconds) } },
          ConditionExpression: 'attribute_not_exists(id)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}

/** One process's memory: tests, and local runs given no table. Never a deployed function's (app.ts refuses it there). */
export class InMemoryTokenReplayGuard implements TokenReplayGuard {
  private readonly seen = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  async firstUse(token: string, expiresAtSeconds: number): Promise<boolean> {
    const key = tokenKey(token);
    const nowSeconds = Math.floor(this.now() / 1_000);
    for (const [seenKey, expiresAt] of this.seen) if (expiresAt <= nowSeconds) this.seen.delete(seenKey);
    if (this.seen.has(key)) return false;
    this.seen.set(key, expiresAtSeconds);
    return true;
  }
}

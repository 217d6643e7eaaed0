import { GetItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import * as z from 'zod';

/** A card the customer held when the ledger began covering it: what a read of DCMS would have found. */
const coveredCard = z.object({ kitNo: z.string(), accountNo: z.string(), cardType: z.string() });
export type CoveredCard = z.infer<typeof coveredCard>;

/**
 * Our ledger's coverage of one customer: from `coveredSince` on, every card this integration sends
 * for the customer leaves a write-ahead marker first, and `cards` are the cards DCMS held for it
 * then (the insta-card of a `/register` we sent, or every kit a read found).
 */
export const customerCoverage = z.object({ coveredSince: z.string(), cards: z.array(coveredCard) });
export type CustomerCoverage = z.infer<typeof customerCoverage>;

/** The customer ledger as the core-banking worker uses it (DynamoDB in Lambda, a map in the simulator). */
export interface CoveragePort {
  coverage(tenant: string, entityId: string): Promise<CustomerCoverage | undefined>;
  /** Records that the customer's cards are known from now on; `cards` must each say their account and card type. */
  recordCovered(tenant: string, entityId: string, cards: readonly CoveredCard[]): Promise<void>;
}

const key = (tenant: string, entityId: string) => marshall({ pk: `CUSTOMER#${tenant}#${entityId}`, sk: 'CARDS' });

/**
 * Which customers our own ledger covers: a customer whose `/register` outcome we know (we sent it,
 * or a read found the customer with its kits). Written once that outcome is known, never before,
 * so a customer registered elsewhere, or whose registration is still in doubt, is not covered and
 * its first card is read for (docs/RELIABILITY.md, "Reading before a first card").
 * Items: `CUSTOMER#<tenant>#<entityId>` / `CARDS` in the state table, kept as long as the kits are.
 */
export class CustomerLedger implements CoveragePort {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async coverage(tenant: string, entityId: string): Promise<CustomerCoverage | undefined> {
    const answer = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: key(tenant, entityId), ConsistentRead: true }));
    return answer.Item ? customerCoverage.parse(unmarshall(answer.Item)) : undefined;
  }

  async recordCovered(tenant: string, entityId: string, cards: readonly CoveredCard[]): Promise<void> {
    // A later outcome (a re-sent customer event reconciled by a read) lists every card found then: the newest snapshot wins.
    const item: CustomerCoverage = { coveredSince: new Date().toISOString(), cards: [...cards] };
    await this.client.send(new PutItemCommand({ TableName: this.tableName, Item: { ...key(tenant, entityId), ...marshall(item) } }));
  }
}

import { QueryCommand, type QueryCommandOutput } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import Table from 'cli-table3';
import { kitState, type KitState } from '../shared/persistence/kit-ledger.js';
import type { OpsTarget } from './target.js';

export interface KitHistoryRow {
  occurredAt: string;
  status: string;
  outcome: string;
  eventId: string;
  code?: string;
  recordedAt?: string;
}

export interface KitRecord {
  tenant: string;
  kitNo: string;
  /** Absent when only history exists (events for a kit this system never issued). */
  state?: KitState;
  /** Oldest first, as the sort key orders them. */
  history: KitHistoryRow[];
}

/**
 * A kit's ledger entries (shared/persistence/kit-ledger.ts): `KIT#<tenant>#<kitNo>` / `STATE` and
 * `EVENT#…`. Kit numbers are per tenant, so without --tenant every configured tenant is looked in.
 */
export async function lookupKit(target: OpsTarget, kitNo: string, tenants: readonly string[]): Promise<KitRecord[]> {
  const found: KitRecord[] = [];
  for (const tenant of tenants) {
    const items: Record<string, unknown>[] = [];
    let startKey: QueryCommandOutput['LastEvaluatedKey'];
    do {
      const page: QueryCommandOutput = await target.dynamo.send(
        new QueryCommand({
          TableName: target.tableName('integrationState'),
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': { S: `KIT#${tenant}#${kitNo}` } },
          ...(startKey && { ExclusiveStartKey: startKey }),
        }),
      );
      items.push(...(page.Items ?? []).map((item) => unmarshall(item)));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    if (items.length === 0) continue;
    const stateItem = items.find((item) => item.sk === 'STATE');
    const state = stateItem && kitState.safeParse(stateItem);
    found.push({
      tenant,
      kitNo,
      ...(state?.success && { state: state.data }),
      history: items
        .filter((item) => String(item.sk).startsWith('EVENT#'))
        .map((item) => ({
          occurredAt: String(item.occurredAt),
          status: String(item.status),
          outcome: String(item.outcome),
          eventId: String(item.eventId),
          ...(item.code !== undefined && { code: String(item.code) }),
          ...(item.recordedAt !== undefined && { recordedAt: String(item.recordedAt) }),
        })),
    });
  }
  return found;
}

/** Renders kits as the caller's disclosure left them (masked unless revealed). */
export function renderKits(kits: readonly KitRecord[]): string {
  return kits
    .map((kit) => {
      const s = kit.state;
      const lines = [
        `Kit ${kit.kitNo} (tenant ${kit.tenant})`,
        s?.entityId ? `  issued to ${s.entityId}, account ${s.accountNo ?? '?'}, ${s.cardType ?? '?'} card, at ${s.issuedAt ?? '?'}` : '  not issued through this system (no issuance recorded)',
        s?.lastStatus ? `  last status ${s.lastStatus}, occurred ${s.lastOccurredAt}, applied ${s.updatedAt ?? '?'}` : '  no delivery status applied yet',
      ];
      if (kit.history.length === 0) return [...lines, '  no courier events recorded'].join('\n');
      const table = new Table({ head: ['occurred at', 'status', 'outcome', 'event id', 'recorded at'], style: { head: [], border: [] } });
      for (const row of kit.history) table.push([row.occurredAt, row.status, row.code ? `${row.outcome} (${row.code})` : row.outcome, row.eventId, row.recordedAt ?? '']);
      return [...lines, table.toString()].join('\n');
    })
    .join('\n\n');
}

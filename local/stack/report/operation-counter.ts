import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

export type OperationKind = 'read' | 'write' | 'other';

export interface OperationCount {
  table: string;
  /** The API action: GetItem, PutItem, UpdateItem… */
  command: string;
  kind: OperationKind;
  calls: number;
  /** Failed calls by error name; ConditionalCheckFailedException is the expected answer of a guarded write. */
  errors: Record<string, number>;
}

const READS = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan', 'TransactGetItems']);
const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);

const kindOf = (command: string): OperationKind => (READS.has(command) ? 'read' : WRITES.has(command) ? 'write' : 'other');

/** The table(s) a command addresses: `TableName`, or the keys of a batch's `RequestItems`. */
function tablesOf(input: unknown): string {
  const request = (input ?? {}) as { TableName?: string; RequestItems?: Record<string, unknown>; TransactItems?: unknown[] };
  if (request.TableName) return request.TableName;
  if (request.RequestItems) return Object.keys(request.RequestItems).sort().join(',');
  return request.TransactItems ? '(transaction)' : '(none)';
}

/**
 * Counts the DynamoDB commands a client sends, by table and action, with their failures. Local
 * runs have no CloudWatch, so this middleware is how the summary knows what the workers cost.
 */
export class OperationCounter {
  private readonly counts = new Map<string, OperationCount>();

  /** Adds the counting middleware to a client (idempotent per client: the middleware has a fixed name). */
  attach(client: DynamoDBClient): void {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const command = (context.commandName ?? 'Unknown').replace(/Command$/, '');
        const entry = this.entry(tablesOf(args.input), command);
        entry.calls += 1;
        try {
          return await next(args);
        } catch (error) {
          const name = error instanceof Error ? error.name : 'Error';
          entry.errors[name] = (entry.errors[name] ?? 0) + 1;
          throw error;
        }
      },
      { step: 'initialize', name: 'localOperationCounter', override: true },
    );
  }

  snapshot(): OperationCount[] {
    return [...this.counts.values()].map((entry) => ({ ...entry, errors: { ...entry.errors } }));
  }

  private entry(table: string, command: string): OperationCount {
    const key = `${table}\u0000${command}`;
    let entry = this.counts.get(key);
    if (!entry) {
      entry = { table, command, kind: kindOf(command), calls: 0, errors: {} };
      this.counts.set(key, entry);
    }
    return entry;
  }
}

import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Requests by API action; for ReceiveMessage, also how many came back empty. */
export interface SqsMeter {
  requests: Map<string, number>;
  emptyReceives: number;
  /** Requests addressed to a FIFO queue (priced higher), empty receives included. */
  fifoRequests: number;
  emptyFifoReceives: number;
}

/** DynamoDB request units as billed on demand: what the service answered in ConsumedCapacity, or an estimate where it answers none. */
export interface DynamoMeter {
  requests: Map<string, number>;
  readUnits: number;
  writeUnits: number;
  /** Write units by table: where the writes go. */
  writeUnitsByTable: Map<string, number>;
}

const READS = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan', 'TransactGetItems']);
const WITH_CAPACITY = new Set([...READS, 'PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);

export interface MeteringProxy {
  url: string;
  reset(): void;
  close(): Promise<void>;
}

const bodyOf = (message: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    message.on('data', (chunk: Buffer) => chunks.push(chunk));
    message.on('end', () => resolve(Buffer.concat(chunks)));
    message.on('error', reject);
  });

/**
 * A pass-through HTTP proxy in front of an emulator that sees every AWS JSON-protocol call (the
 * `X-Amz-Target` header names the action) from every client of the process, the functions' own and
 * the pollers standing in for Lambda's, without touching any of them. `rewrite` may amend a
 * request body (DynamoDB: ask for ConsumedCapacity); `observe` sees each exchange.
 */
async function startProxy(
  upstream: string,
  rewrite: (action: string, body: Record<string, unknown>) => void,
  observe: (action: string, request: Record<string, unknown>, status: number, response: Record<string, unknown>) => void,
): Promise<MeteringProxy> {
  const target = new URL(upstream);
  const server = createServer((incoming, outgoing) => {
    void (async () => {
      const action =
        String(incoming.headers['x-amz-target'] ?? '')
          .split('.')
          .at(-1) ?? '';
      const raw = await bodyOf(incoming);
      let body: Record<string, unknown> = {};
      let payload = raw;
      if (action && raw.length > 0) {
        body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
        rewrite(action, body);
        payload = Buffer.from(JSON.stringify(body));
      }
      const headers = { ...incoming.headers, host: target.host, 'content-length': String(payload.length) };
      const forwarded = httpRequest({ host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers }, async (answer) => {
        const answerBody = await bodyOf(answer);
        if (action) {
          let parsed: Record<string, unknown> = {};
          try {
            parsed = JSON.parse(answerBody.toString('utf8') || '{}') as Record<string, unknown>;
          } catch {
            // Not JSON: nothing to read from it.
          }
          observe(action, body, answer.statusCode ?? 0, parsed);
        }
        outgoing.writeHead(answer.statusCode ?? 500, answer.headers);
        outgoing.end(answerBody);
      });
      forwarded.on('error', () => outgoing.destroy());
      forwarded.end(payload);
    })().catch(() => outgoing.destroy());
  });
  // Long polls hold a request for seconds: no timeout of the proxy's own may cut them.
  server.requestTimeout = 0;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    reset: () => undefined,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

const add = (map: Map<string, number>, key: string, n = 1) => map.set(key, (map.get(key) ?? 0) + n);

export async function meterSqs(upstream: string): Promise<MeteringProxy & { meter: SqsMeter }> {
  const meter: SqsMeter = { requests: new Map(), emptyReceives: 0, fifoRequests: 0, emptyFifoReceives: 0 };
  const proxy = await startProxy(
    upstream,
    () => undefined,
    (action, request, _status, response) => {
      add(meter.requests, action);
      const fifo = String(request.QueueUrl ?? '').endsWith('.fifo');
      if (fifo) meter.fifoRequests += 1;
      if (action === 'ReceiveMessage' && !(response.Messages as unknown[] | undefined)?.length) {
        meter.emptyReceives += 1;
        if (fifo) meter.emptyFifoReceives += 1;
      }
    },
  );
  return {
    ...proxy,
    meter,
    reset: () => {
      meter.requests.clear();
      meter.emptyReceives = 0;
      meter.fifoRequests = 0;
      meter.emptyFifoReceives = 0;
    },
  };
}

interface Capacity {
  CapacityUnits?: number;
}

export async function meterDynamo(upstream: string): Promise<MeteringProxy & { meter: DynamoMeter }> {
  const meter: DynamoMeter = { requests: new Map(), readUnits: 0, writeUnits: 0, writeUnitsByTable: new Map() };
  const proxy = await startProxy(
    upstream,
    (action, body) => {
      if (WITH_CAPACITY.has(action)) body.ReturnConsumedCapacity ??= 'TOTAL';
    },
    (action, request, status, response) => {
      add(
        meter.requests,
        status === 200
          ? action
          : `${action} (${String(response.__type ?? status)
              .split('#')
              .at(-1)})`,
      );
      if (!WITH_CAPACITY.has(action)) return;
      const consumed = response.ConsumedCapacity as Capacity | Capacity[] | undefined;
      let units: number;
      if (consumed !== undefined) {
        units = [consumed].flat().reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
      } else {
        // A refused write (condition failed, transaction cancelled) answers no ConsumedCapacity but is
        // still billed: one unit per item up to 1 KB, two per item of a transaction (items assumed ≤ 1 KB).
        const items = (request.TransactItems as unknown[] | undefined)?.length;
        units = items === undefined ? 1 : 2 * items;
      }
      if (READS.has(action)) {
        meter.readUnits += units;
        return;
      }
      meter.writeUnits += units;
      add(meter.writeUnitsByTable, String(request.TableName ?? '(several)'), units);
    },
  );
  return {
    ...proxy,
    meter,
    reset: () => {
      meter.requests.clear();
      meter.readUnits = 0;
      meter.writeUnits = 0;
      meter.writeUnitsByTable.clear();
    },
  };
}

import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { localLambdaContext } from '../event-source/lambda-context.js';

/**
 * A small stand-in for an API Gateway HTTP API (payload format 2.0) on the loopback interface:
 * each request becomes the event a Lambda proxy integration receives, and the structured result
 * is written back, so a function's `handler` runs locally exactly as it will behind the gateway.
 * What the gateway itself answers is mirrored: 404 `{"message":"Not Found"}` for no route, 413 for
 * a body over its 10 MB cap, 500 when the function throws, 503 when it outlives the integration
 * timeout (30 s).
 */
export type HttpLambdaHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

export interface ApiGatewayServerOptions {
  /** 0 picks a free port. */
  port: number;
  /** Default 127.0.0.1: this is a development tool, not something to expose. */
  host?: string;
  /** Route keys as in the gateway, `'POST /couriers/{courier}/events'`; `{name+}` matches the rest of the path. */
  routes: Readonly<Record<string, HttpLambdaHandler>>;
  /** The gateway's payload cap; default 10 MB. */
  maxBodyBytes?: number;
  /** The gateway's integration timeout; default 30 s (also the local Lambda context's timeout). */
  timeoutSeconds?: number;
}

export interface RunningApiGatewayServer {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:3000 */
  url: string;
  close(): Promise<void>;
}

interface Route {
  routeKey: string;
  method: string;
  segments: string[];
  handler: HttpLambdaHandler;
}

const GATEWAY_MAX_BODY_BYTES = 10 * 1_024 * 1_024;
const INTEGRATION_TIMEOUT_SECONDS = 30;

function parseRoutes(routes: Readonly<Record<string, HttpLambdaHandler>>): Route[] {
  return Object.entries(routes).map(([routeKey, handler]) => {
    const match = /^([A-Z]+|ANY) (\/\S*)$/.exec(routeKey);
    if (!match) throw new Error(`route key must look like 'POST /path/{param}', got '${routeKey}'`);
    return { routeKey, method: match[1]!, segments: match[2]!.split('/').filter(Boolean), handler };
  });
}

/** Path parameters of `path` against a route's segments, or undefined when it does not match. */
function matchPath(segments: readonly string[], path: string[]): Record<string, string> | undefined {
  const parameters: Record<string, string> = {};
  for (const [index, segment] of segments.entries()) {
    const greedy = /^\{(\w+)\+\}$/.exec(segment);
    if (greedy) {
      if (index >= path.length) return undefined;
      parameters[greedy[1]!] = path.slice(index).join('/');
      return parameters;
    }
    const value = path[index];
    if (value === undefined) return undefined;
    const name = /^\{(\w+)\}$/.exec(segment)?.[1];
    if (name) parameters[name] = value;
    else if (segment !== value) return undefined;
  }
  return segments.length === path.length ? parameters : undefined;
}

function findRoute(routes: readonly Route[], method: string, path: string): { route: Route; pathParameters: Record<string, string> } | undefined {
  // Percent-decoded as the gateway does for path parameters; a malformed escape matches nothing.
  let decoded: string[];
  try {
    decoded = path.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    return undefined;
  }
  for (const route of routes) {
    if (route.method !== method && route.method !== 'ANY') continue;
    const pathParameters = matchPath(route.segments, decoded);
    if (pathParameters) return { route, pathParameters };
  }
  return undefined;
}

/**
 * Bodies the gateway passes as text; anything else arrives base64-encoded with isBase64Encoded.
 * (An approximation of the gateway's own rule, which also treats these types as text.)
 */
const TEXT_TYPES = /^(text\/[^;]+|application\/(json|xml|javascript|[\w.+-]+\+(json|xml)))\s*(;|$)/i;

/** Repeated headers joined with commas and names lower-cased, as the gateway does for payload 2.0. */
function headersOf(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headersDistinct)) {
    if (value && name !== 'cookie') headers[name] = value.join(',');
  }
  return headers;
}

function queryParameters(search: URLSearchParams): Record<string, string> | undefined {
  const result: Record<string, string> = {};
  for (const key of new Set(search.keys())) result[key] = search.getAll(key).join(',');
  return Object.keys(result).length > 0 ? result : undefined;
}

function toEvent(request: IncomingMessage, url: URL, route: Route, pathParameters: Record<string, string>, body: Buffer): APIGatewayProxyEventV2 {
  const headers = headersOf(request);
  const now = new Date();
  const text = TEXT_TYPES.test(headers['content-type'] ?? '');
  const cookies = request.headers.cookie?.split(';').map((cookie) => cookie.trim());
  const queryStringParameters = queryParameters(url.searchParams);
  return {
    version: '2.0',
    routeKey: route.routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    ...(cookies && { cookies }),
    headers,
    ...(queryStringParameters && { queryStringParameters }),
    ...(Object.keys(pathParameters).length > 0 && { pathParameters }),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: (headers.host ?? 'localhost').split('.')[0]!,
      http: {
        method: request.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: route.routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(body.length > 0 && { body: text ? body.toString('utf8') : body.toString('base64') }),
    isBase64Encoded: body.length > 0 && !text,
  };
}

function send(response: ServerResponse, result: APIGatewayProxyStructuredResultV2): void {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name.toLowerCase()] = String(value);
  if (result.cookies?.length) headers['set-cookie'] = result.cookies;
  const body = result.body === undefined ? undefined : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8');
  response.writeHead(result.statusCode ?? 200, headers);
  response.end(body);
}

const gatewayMessage = (response: ServerResponse, statusCode: number, message: string) =>
  send(response, { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message }) });

/** Reads the body, or undefined once it passes `limit` (the rest is discarded). */
async function readBody(request: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

async function invoke(handler: HttpLambdaHandler, event: APIGatewayProxyEventV2, timeoutSeconds: number): Promise<APIGatewayProxyStructuredResultV2 | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutSeconds * 1_000)));
  try {
    return await Promise.race([handler(event, localLambdaContext(`local-${event.routeKey}`, timeoutSeconds)), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export async function startApiGatewayServer(options: ApiGatewayServerOptions): Promise<RunningApiGatewayServer> {
  const routes = parseRoutes(options.routes);
  const maxBodyBytes = options.maxBodyBytes ?? GATEWAY_MAX_BODY_BYTES;
  const timeoutSeconds = options.timeoutSeconds ?? INTEGRATION_TIMEOUT_SECONDS;

  const server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      const found = findRoute(routes, request.method ?? 'GET', url.pathname);
      if (!found) {
        request.resume();
        return gatewayMessage(response, 404, 'Not Found');
      }
      const body = await readBody(request, maxBodyBytes);
      if (body === undefined) return gatewayMessage(response, 413, 'Request Entity Too Large');
      try {
        const result = await invoke(found.route.handler, toEvent(request, url, found.route, found.pathParameters, body), timeoutSeconds);
        if (result === 'timeout') return gatewayMessage(response, 503, 'Service Unavailable');
        send(response, result);
      } catch (error) {
        // What the gateway does with a function error; the error itself is the developer's to see.
        console.error(`local API Gateway: ${found.route.routeKey} threw`, error);
        gatewayMessage(response, 500, 'Internal Server Error');
      }
    })().catch((error: unknown) => {
      console.error('local API Gateway: request failed', error);
      if (!response.headersSent) gatewayMessage(response, 500, 'Internal Server Error');
      else response.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive connections would hold close() open until they time out.
        server.closeAllConnections();
      }),
  };
}

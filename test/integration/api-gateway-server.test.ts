/** The local API Gateway (local/http/api-gateway-server.ts): HTTP API payload 2.0 events in, structured results out. */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { startApiGatewayServer, type RunningApiGatewayServer } from '../../local/http/api-gateway-server.js';

describe('local API Gateway (HTTP API, payload 2.0)', () => {
  let server: RunningApiGatewayServer | undefined;
  afterEach(async () => server?.close());

  it('builds the v2 event from the request and writes the structured result back', async () => {
    const seen: APIGatewayProxyEventV2[] = [];
    server = await startApiGatewayServer({
      port: 0,
      routes: {
        'POST /couriers/{courier}/events': async (event) => {
          seen.push(event);
          return { statusCode: 201, headers: { 'X-Echo': event.pathParameters?.courier ?? '' }, body: Buffer.from('binary').toString('base64'), isBase64Encoded: true };
        },
        'GET /files/{path+}': async (event) => ({ statusCode: 200, body: event.pathParameters?.path ?? '' }),
      },
    });
    const response = await fetch(`${server.url}/couriers/blue%20dart/events?a=1&a=2&b=x`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/octet-stream', 'X-Mixed-Case': 'v' },
      body: Buffer.from([0, 1, 2]),
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-echo')).toBe('blue dart');
    expect(await response.text()).toBe('binary');
    const [event] = seen;
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'POST /couriers/{courier}/events',
      rawPath: '/couriers/blue%20dart/events',
      rawQueryString: 'a=1&a=2&b=x',
      queryStringParameters: { a: '1,2', b: 'x' },
      pathParameters: { courier: 'blue dart' },
      headers: { 'content-type': 'application/octet-stream', 'x-mixed-case': 'v' },
      requestContext: { http: { method: 'POST', path: '/couriers/blue%20dart/events', sourceIp: '127.0.0.1' }, routeKey: 'POST /couriers/{courier}/events', stage: '$default' },
      body: Buffer.from([0, 1, 2]).toString('base64'),
      isBase64Encoded: true,
    });
    expect(await (await fetch(`${server.url}/files/a/b/c.txt`)).text()).toBe('a/b/c.txt');
    const missing = await fetch(`${server.url}/couriers/x/other`, { method: 'POST' });
    expect([missing.status, await missing.json()]).toEqual([404, { message: 'Not Found' }]);
    const wrongMethod = await fetch(`${server.url}/couriers/x/events`);
    expect(wrongMethod.status).toBe(404);
  });

  it('answers 500 like the gateway when the function throws', async () => {
    server = await startApiGatewayServer({ port: 0, routes: { 'POST /boom': async () => Promise.reject(new Error('expected in this test')) } });
    const response = await fetch(`${server.url}/boom`, { method: 'POST' });
    expect([response.status, await response.json()]).toEqual([500, { message: 'Internal Server Error' }]);
  });
});

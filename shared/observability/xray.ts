import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { subscribe } from 'node:diagnostics_channel';
import { getXrayTraceDataFromEnv } from '@aws-lambda-powertools/commons/utils/env';

/**
 * X-Ray traces of what a function does: a `## <handler>` subsegment per invocation (annotated
 * ColdStart and Service), and inside it one subsegment per AWS SDK operation (DynamoDB, SQS,
 * Secrets Manager: service, operation, table or queue, request id, retries, status) and per
 * outbound HTTP request made with fetch (DCMS, Card91, SSM: host, method, URL without the query,
 * status), flagged error (4xx), throttle (429) or fault (5xx, no answer) as X-Ray expects. Lambda's
 * active tracing records the invocation itself and hands each one its trace header; these
 * subsegments hang under it. They are sent to the X-Ray daemon Lambda runs beside the function
 * (UDP, AWS_XRAY_DAEMON_ADDRESS), only for sampled invocations.
 *
 * This replaces Powertools Tracer, which wraps the X-Ray SDK for Node.js: the same subsegments for
 * 2–3 KiB instead of ~120 KiB of every bundle (the SDK, semver, cls-hooked) and ~10 ms of module
 * init (bench/cold-start.ts), an SDK AWS put in maintenance mode in February 2026 (security fixes
 * only; AWS points to OpenTelemetry, whose SDK is larger still). The wire format is X-Ray's
 * documented segment document, sent as independent subsegments. Concurrent work inside one
 * invocation (records of different groups in flight together) is attributed correctly: the current
 * invocation travels in an AsyncLocalStorage, and a request's start and answer are paired by the
 * request itself, not by a "current segment".
 */

interface Subsegment {
  name: string;
  id: string;
  trace_id: string;
  parent_id: string;
  start_time: number;
  end_time?: number;
  type: 'subsegment';
  namespace?: 'aws' | 'remote';
  annotations?: Record<string, string | number | boolean>;
  http?: { request?: { method: string; url: string }; response?: { status: number } };
  aws?: Record<string, string | number>;
  error?: boolean;
  throttle?: boolean;
  fault?: boolean;
  cause?: { exceptions: { id: string; message: string; type: string }[] };
}

/** The middleware stack of an AWS SDK v3 client: what `captureAWSv3Client` needs from it. */
interface SdkClient {
  middlewareStack: {
    add(middleware: (next: (args: SdkArgs) => Promise<SdkOutput>, context: SdkContext) => (args: SdkArgs) => Promise<SdkOutput>, options: { step: 'initialize'; name: string; priority: 'high' }): void;
  };
}
interface SdkArgs {
  input: Record<string, unknown>;
}
interface SdkOutput {
  output: { $metadata?: SdkMetadata };
}
interface SdkContext {
  clientName?: string;
  commandName?: string;
}
interface SdkMetadata {
  httpStatusCode?: number;
  requestId?: string;
  attempts?: number;
}

const HEADER = '{"format":"json","version":1}\n';
const seconds = (ms: number) => ms / 1_000;
const newId = () => randomBytes(8).toString('hex');

export class XRayTracer {
  private readonly invocation = new AsyncLocalStorage<Subsegment>();
  private readonly requests = new WeakMap<object, Subsegment>();
  private readonly captured = new WeakSet<object>();
  private readonly daemon: { host: string; port: number } | undefined;
  private socket: Socket | undefined;
  private coldStart = true;

  constructor(
    private readonly serviceName: string,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    // Lambda sets the daemon's address when active tracing is on; POWERTOOLS_TRACE_ENABLED=false turns tracing off.
    this.daemon = env.POWERTOOLS_TRACE_ENABLED === 'false' ? undefined : parseDaemonAddress(env.AWS_XRAY_DAEMON_ADDRESS);
    if (this.daemon) this.traceFetch();
  }

  /** Runs one invocation inside its `## handler` subsegment. */
  async traceInvocation<T>(handlerName: string, run: () => Promise<T>): Promise<T> {
    const parent = this.parentOf();
    const coldStart = this.coldStart;
    this.coldStart = false;
    if (!parent) return run();
    const subsegment = this.open(`## ${handlerName}`, parent);
    subsegment.annotations = { ColdStart: coldStart, Service: this.serviceName };
    try {
      return await this.invocation.run(subsegment, run);
    } catch (error) {
      subsegment.fault = true;
      subsegment.cause = { exceptions: [describe(error)] };
      throw error;
    } finally {
      this.close(subsegment);
    }
  }

  /** Records every operation of an AWS SDK v3 client; returns the client. */
  captureAWSv3Client<C extends SdkClient>(client: C): C {
    // Once per client: a second middleware of the same name would be refused by the stack.
    if (!this.daemon || this.captured.has(client)) return client;
    this.captured.add(client);
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const parent = this.parentOf();
        if (!parent) return next(args);
        const subsegment = this.open((context.clientName ?? 'AWS').replace(/Client$/, ''), parent);
        subsegment.namespace = 'aws';
        subsegment.aws = { operation: (context.commandName ?? '').replace(/Command$/, ''), ...resourceOf(args.input) };
        try {
          const result = await next(args);
          this.describeAnswer(subsegment, result.output.$metadata);
          return result;
        } catch (error) {
          const metadata = (error as { $metadata?: SdkMetadata }).$metadata;
          this.describeAnswer(subsegment, metadata);
          const status = metadata?.httpStatusCode;
          const name = error instanceof Error ? error.name : '';
          subsegment.throttle = status === 429 || /Throttl/i.test(name) || undefined;
          subsegment.fault = status === undefined || status >= 500 || undefined;
          subsegment.error = !subsegment.fault || undefined;
          subsegment.cause = { exceptions: [describe(error)] };
          throw error;
        } finally {
          this.close(subsegment);
        }
      },
      { step: 'initialize', name: 'xrayTracing', priority: 'high' },
    );
    return client;
  }

  private describeAnswer(subsegment: Subsegment, metadata: SdkMetadata | undefined): void {
    if (!metadata) return;
    if (metadata.requestId) subsegment.aws!.request_id = metadata.requestId;
    if (metadata.attempts) subsegment.aws!.retries = metadata.attempts - 1;
    if (metadata.httpStatusCode) subsegment.http = { response: { status: metadata.httpStatusCode } };
  }

  /** fetch (undici) publishes each request's start, answer and failure; Node delivers them synchronously. */
  private traceFetch(): void {
    subscribe('undici:request:create', (message) => {
      const { request } = message as { request: { method: string; origin: string; path: string } };
      const parent = this.parentOf();
      if (!parent || request.method === 'CONNECT') return;
      const url = new URL(request.path, request.origin);
      const subsegment = this.open(url.hostname, parent);
      subsegment.namespace = 'remote';
      // The query may carry identifiers: the trace keeps the path only.
      subsegment.http = { request: { method: request.method, url: `${url.origin}${url.pathname}` } };
      this.requests.set(request, subsegment);
    });
    subscribe('undici:request:headers', (message) => {
      const { request, response } = message as { request: object; response: { statusCode: number } };
      const subsegment = this.requests.get(request);
      if (!subsegment) return;
      this.requests.delete(request);
      const status = response.statusCode;
      subsegment.http = { ...subsegment.http, response: { status } };
      if (status === 429) subsegment.throttle = true;
      if (status >= 400 && status < 500) subsegment.error = true;
      if (status >= 500) subsegment.fault = true;
      this.close(subsegment);
    });
    subscribe('undici:request:error', (message) => {
      const { request, error } = message as { request: object; error: unknown };
      const subsegment = this.requests.get(request);
      if (!subsegment) return;
      this.requests.delete(request);
      // No answer (refused, reset, timed out): the remote side failed us.
      subsegment.fault = true;
      subsegment.cause = { exceptions: [describe(error)] };
      this.close(subsegment);
    });
  }

  /** The subsegment new work hangs under: this invocation's handler subsegment, or Lambda's own segment. */
  private parentOf(): { traceId: string; parentId: string } | undefined {
    if (!this.daemon) return undefined;
    const current = this.invocation.getStore();
    if (current) return { traceId: current.trace_id, parentId: current.id };
    const header = getXrayTraceDataFromEnv();
    if (header?.Sampled !== '1' || !header.Root || !header.Parent) return undefined;
    return { traceId: header.Root, parentId: header.Parent };
  }

  private open(name: string, parent: { traceId: string; parentId: string }): Subsegment {
    return { name, id: newId(), trace_id: parent.traceId, parent_id: parent.parentId, start_time: seconds(Date.now()), type: 'subsegment' };
  }

  private close(subsegment: Subsegment): void {
    subsegment.end_time = seconds(Date.now());
    if (!this.daemon) return;
    if (!this.socket) {
      this.socket = createSocket('udp4');
      // Tracing never keeps a function (or a test) alive.
      this.socket.unref();
    }
    // Fire and forget, as the X-Ray SDK does: a lost datagram costs a subsegment, never the invocation.
    this.socket.send(HEADER + JSON.stringify(subsegment), this.daemon.port, this.daemon.host, () => undefined);
  }
}

/** `127.0.0.1:2000`, or `udp:127.0.0.1:2000 tcp:127.0.0.1:2000` (the daemon's two addresses). */
function parseDaemonAddress(value: string | undefined): { host: string; port: number } | undefined {
  if (!value) return undefined;
  const udp = value.split(/\s+/).find((part) => part.startsWith('udp:')) ?? value.split(/\s+/)[0]!;
  const match = /^(?:udp:)?([^:\s]+):(\d+)$/.exec(udp);
  return match ? { host: match[1]!, port: Number(match[2]) } : undefined;
}

function resourceOf(input: Record<string, unknown>): Record<string, string> {
  const resource: Record<string, string> = {};
  if (typeof input.TableName === 'string') resource.table_name = input.TableName;
  if (typeof input.QueueUrl === 'string') resource.queue_url = input.QueueUrl;
  return resource;
}

function describe(error: unknown): { id: string; message: string; type: string } {
  return error instanceof Error ? { id: newId(), message: error.message, type: error.name } : { id: newId(), message: String(error), type: 'Error' };
}

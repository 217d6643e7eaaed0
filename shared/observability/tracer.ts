import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import { subscribe } from 'node:diagnostics_channel';
import { getXrayTraceDataFromEnv } from '@aws-lambda-powertools/commons/utils/env';
import type { SQSRecord } from 'aws-lambda';
import { DaemonSink, OtlpSink, parseDaemonAddress, type Span, type SpanKind, type TraceSink } from './trace-sinks.js';

/**
 * Traces of what a function does, one trace per event from the courier webhook through the queue
 * and the worker to the DCMS call:
 *   - a `## <handler>` span per invocation (annotated ColdStart and Service) under the segment
 *     Lambda's active tracing records for it;
 *   - inside it, a span per AWS SDK operation (DynamoDB, SQS: service, operation, table or queue,
 *     request id, retries, status) and per outbound fetch (DCMS, Card91, SSM, Secrets Manager:
 *     host, method, URL without the query, status), flagged error (4xx), throttle (429) or fault
 *     (5xx, no answer);
 *   - every SQS message sent in a sampled trace carries it on (`AWSTraceHeader`, its send's span as
 *     parent), and a worker's record span (`startRecord`) continues the trace its message brought:
 *     the calls made for that record hang under it, in the producer's trace, not the batch's.
 * Spans go to X-Ray's OTLP endpoint when OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is set (the
 * replacement, trace-sinks.ts), else to the X-Ray daemon (AWS_XRAY_DAEMON_ADDRESS, until it is
 * retired); only for sampled traces; POWERTOOLS_TRACE_ENABLED=false turns tracing off.
 *
 * No tracing SDK: the X-Ray SDK (in maintenance, ~120 KiB and ~10 ms of init) and the OpenTelemetry
 * SDK (larger still) would cost the cold start this project measures (docs/architecture.md,
 * Tracing). Concurrent work inside one invocation is attributed correctly: the current spans travel
 * in an AsyncLocalStorage, and a request's start and answer are paired by the request itself.
 */

/** Where new spans hang: usually one parent; several when one call serves several events (a batched DCMS call). */
type Parent = Pick<Span, 'trace_id' | 'id'>;

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

const seconds = (ms: number) => ms / 1_000;
const newId = () => randomBytes(8).toString('hex');

/** `Root=…;Parent=…;Sampled=1` as SQS carries it in the AWSTraceHeader system attribute. */
export function parseTraceHeader(header: string | undefined): { root?: string; parent?: string; sampled?: string } | undefined {
  if (!header) return undefined;
  const fields = Object.fromEntries(header.split(';').map((part) => part.trim().split('=') as [string, string]));
  return { root: fields.Root, parent: fields.Parent, sampled: fields.Sampled };
}

export class Tracer {
  private readonly current = new AsyncLocalStorage<Parent[]>();
  private readonly requests = new WeakMap<object, Span[]>();
  private readonly captured = new WeakSet<object>();
  private readonly sink: TraceSink | undefined;
  private coldStart = true;

  constructor(
    private readonly serviceName: string,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.sink = env.POWERTOOLS_TRACE_ENABLED === 'false' ? undefined : sinkFor(serviceName, env);
    if (this.sink) this.traceFetch();
  }

  /** Runs one invocation inside its `## handler` span; what the sink holds is sent before it returns. */
  async traceInvocation<T>(handlerName: string, run: () => Promise<T>): Promise<T> {
    const [parent] = this.parents();
    const coldStart = this.coldStart;
    this.coldStart = false;
    const span = parent && this.open(`## ${handlerName}`, parent, 'server');
    if (span) span.annotations = { ColdStart: coldStart, Service: this.serviceName };
    try {
      return await (span ? this.current.run([span], run) : run());
    } catch (error) {
      if (span) {
        span.fault = true;
        span.cause = { exceptions: [describe(error)] };
      }
      throw error;
    } finally {
      if (span) this.close(span);
      // Also when Lambda did not sample the invocation: its records may continue sampled traces.
      await this.sink?.flush();
    }
  }

  /**
   * A span for one SQS record, in the trace its message carries (AWSTraceHeader) when that trace is
   * sampled; a message that carries none (a producer that does not trace) hangs under the
   * invocation's span. Undefined when nothing is to be recorded: end it with `endRecord`.
   */
  startRecord(record: SQSRecord, name: string): Span | undefined {
    if (!this.sink) return undefined;
    const header = parseTraceHeader(record.attributes.AWSTraceHeader);
    let parent: Parent | undefined;
    if (header?.root && header.parent) {
      if (header.sampled !== '1') return undefined;
      parent = { trace_id: header.root, id: header.parent };
    } else {
      parent = this.parents()[0];
    }
    if (!parent) return undefined;
    const span = this.open(name, parent, 'consumer');
    span.annotations = { Service: this.serviceName };
    return span;
  }

  /** Runs `run` with these records' spans as the parents of what it calls: one call for several events is in each one's trace. */
  withinRecords<T>(spans: readonly (Span | undefined)[], run: () => Promise<T>): Promise<T> {
    const parents = spans.filter((span) => span !== undefined);
    return parents.length > 0 ? this.current.run(parents, run) : run();
  }

  /** Ends a record's span with its event and outcome (annotations: a trace is found by its event id). */
  endRecord(span: Span | undefined, annotations: { EventId?: string; Outcome: string }, failed = false): void {
    if (!span || span.end_time !== undefined) return;
    span.annotations = { ...span.annotations, ...(annotations.EventId !== undefined && { EventId: annotations.EventId }), Outcome: annotations.Outcome };
    if (failed) span.error = true;
    this.close(span);
  }

  /** Records every operation of an AWS SDK v3 client, and carries the trace on in every SQS message it sends; returns the client. */
  captureAWSv3Client<C extends SdkClient>(client: C): C {
    // Once per client: a second middleware of the same name would be refused by the stack.
    if (!this.sink || this.captured.has(client)) return client;
    this.captured.add(client);
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const parents = this.parents();
        if (parents.length === 0) return next(args);
        const service = (context.clientName ?? 'AWS').replace(/Client$/, '');
        const operation = (context.commandName ?? '').replace(/Command$/, '');
        const spans = parents.map((parent) => this.open(service, parent, 'client'));
        for (const span of spans) {
          span.namespace = 'aws';
          span.aws = { operation, ...resourceOf(args.input) };
        }
        try {
          const result = await next(service === 'SQS' ? withTraceHeader(args, spans[0]!) : args);
          for (const span of spans) describeAnswer(span, result.output.$metadata);
          return result;
        } catch (error) {
          const metadata = (error as { $metadata?: SdkMetadata }).$metadata;
          const status = metadata?.httpStatusCode;
          const name = error instanceof Error ? error.name : '';
          for (const span of spans) {
            describeAnswer(span, metadata);
            span.throttle = status === 429 || /Throttl/i.test(name) || undefined;
            span.fault = status === undefined || status >= 500 || undefined;
            span.error = !span.fault || undefined;
            span.cause = { exceptions: [describe(error)] };
          }
          throw error;
        } finally {
          for (const span of spans) this.close(span);
        }
      },
      { step: 'initialize', name: 'tracing', priority: 'high' },
    );
    return client;
  }

  /** fetch (undici) publishes each request's start, answer and failure; Node delivers them synchronously. */
  private traceFetch(): void {
    subscribe('undici:request:create', (message) => {
      const { request } = message as { request: { method: string; origin: string; path: string } };
      // The sink's own export is not part of any trace.
      if (request.method === 'CONNECT' || request.origin === this.sink!.origin) return;
      const parents = this.parents();
      if (parents.length === 0) return;
      const url = new URL(request.path, request.origin);
      this.requests.set(
        request,
        parents.map((parent) => {
          const span = this.open(url.hostname, parent, 'client');
          span.namespace = 'remote';
          // The query may carry identifiers: the trace keeps the path only.
          span.http = { request: { method: request.method, url: `${url.origin}${url.pathname}` } };
          return span;
        }),
      );
    });
    subscribe('undici:request:headers', (message) => {
      const { request, response } = message as { request: object; response: { statusCode: number } };
      const spans = this.requests.get(request);
      if (!spans) return;
      this.requests.delete(request);
      const status = response.statusCode;
      for (const span of spans) {
        span.http = { ...span.http, response: { status } };
        if (status === 429) span.throttle = true;
        if (status >= 400 && status < 500) span.error = true;
        if (status >= 500) span.fault = true;
        this.close(span);
      }
    });
    subscribe('undici:request:error', (message) => {
      const { request, error } = message as { request: object; error: unknown };
      const spans = this.requests.get(request);
      if (!spans) return;
      this.requests.delete(request);
      for (const span of spans) {
        // No answer (refused, reset, timed out): the remote side failed us.
        span.fault = true;
        span.cause = { exceptions: [describe(error)] };
        this.close(span);
      }
    });
  }

  /** Where new work hangs: the spans of the current context, or the segment Lambda recorded for this invocation when sampled. */
  private parents(): Parent[] {
    if (!this.sink) return [];
    const current = this.current.getStore();
    if (current) return current;
    const header = getXrayTraceDataFromEnv();
    if (header?.Sampled !== '1' || !header.Root || !header.Parent) return [];
    return [{ trace_id: header.Root, id: header.Parent }];
  }

  private open(name: string, parent: Parent, kind: SpanKind): Span {
    return { name, id: newId(), trace_id: parent.trace_id, parent_id: parent.id, start_time: seconds(Date.now()), type: 'subsegment', kind };
  }

  private close(span: Span): void {
    span.end_time = seconds(Date.now());
    this.sink?.send(span);
  }
}

/** The OTLP endpoint when one is set, else the daemon Lambda runs when active tracing is on, else nothing. */
function sinkFor(serviceName: string, env: NodeJS.ProcessEnv): TraceSink | undefined {
  if (env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return new OtlpSink(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, serviceName, env);
  const daemon = parseDaemonAddress(env.AWS_XRAY_DAEMON_ADDRESS);
  return daemon ? new DaemonSink(daemon) : undefined;
}

/**
 * The send with every message carrying the trace, its send's span as parent, as the X-Ray SDK's
 * SQS instrumentation does: the worker that receives it continues this trace. A copy: the caller's
 * entries (sent again on a partial failure) are left as they were.
 */
function withTraceHeader(args: SdkArgs, span: Span): SdkArgs {
  const attribute = { AWSTraceHeader: { DataType: 'String', StringValue: `Root=${span.trace_id};Parent=${span.id};Sampled=1` } };
  const carry = (message: Record<string, unknown>) => ({ ...message, MessageSystemAttributes: { ...(message.MessageSystemAttributes as object | undefined), ...attribute } });
  const { input } = args;
  if (Array.isArray(input.Entries)) return { ...args, input: { ...input, Entries: (input.Entries as Record<string, unknown>[]).map(carry) } };
  if (typeof input.MessageBody === 'string') return { ...args, input: carry(input) };
  return args;
}

function describeAnswer(span: Span, metadata: SdkMetadata | undefined): void {
  if (!metadata) return;
  if (metadata.requestId) span.aws!.request_id = metadata.requestId;
  if (metadata.attempts) span.aws!.retries = metadata.attempts - 1;
  if (metadata.httpStatusCode) span.http = { response: { status: metadata.httpStatusCode } };
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

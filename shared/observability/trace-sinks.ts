import { createSocket, type Socket } from 'node:dgram';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';

/**
 * A finished span, in X-Ray's segment-document shape (what the daemon takes as is and what the
 * OTLP encoding below starts from). `kind` is the OpenTelemetry span kind; the daemon never sees it.
 */
export interface Span {
  name: string;
  id: string;
  trace_id: string;
  parent_id: string;
  start_time: number;
  end_time?: number;
  type: 'subsegment';
  kind: SpanKind;
  namespace?: 'aws' | 'remote';
  annotations?: Record<string, string | number | boolean>;
  http?: { request?: { method: string; url: string }; response?: { status: number } };
  aws?: Record<string, string | number>;
  error?: boolean;
  throttle?: boolean;
  fault?: boolean;
  cause?: { exceptions: { id: string; message: string; type: string }[] };
}

export type SpanKind = 'internal' | 'server' | 'client' | 'producer' | 'consumer';

/** Where finished spans go: sent at once (daemon) or held until the invocation's end (OTLP). */
export interface TraceSink {
  send(span: Span): void;
  /** Sends what is held; called before the invocation returns (Lambda freezes the instance after). */
  flush(): Promise<void>;
  /** The origin the sink itself calls, never traced (its own export would be a span of the trace). */
  readonly origin?: string;
}

/**
 * The X-Ray daemon Lambda runs beside the function (UDP, AWS_XRAY_DAEMON_ADDRESS): fire and forget,
 * as the X-Ray SDK does. The daemon is in maintenance since 2026-02-25 and out of support from
 * 2027-02-25: this sink goes once every stage exports OTLP (docs/architecture.md, Tracing).
 */
export class DaemonSink implements TraceSink {
  private socket: Socket | undefined;

  constructor(private readonly daemon: { host: string; port: number }) {}

  send(span: Span): void {
    if (!this.socket) {
      this.socket = createSocket('udp4');
      // Tracing never keeps a function (or a test) alive.
      this.socket.unref();
    }
    const { kind: _kind, ...document } = span;
    // A lost datagram costs a subsegment, never the invocation.
    this.socket.send(`{"format":"json","version":1}\n${JSON.stringify(document)}`, this.daemon.port, this.daemon.host, () => undefined);
  }

  async flush(): Promise<void> {
    // Every span left when it ended.
  }
}

/** `127.0.0.1:2000`, or `udp:127.0.0.1:2000 tcp:127.0.0.1:2000` (the daemon's two addresses). */
export function parseDaemonAddress(value: string | undefined): { host: string; port: number } | undefined {
  if (!value) return undefined;
  const udp = value.split(/\s+/).find((part) => part.startsWith('udp:')) ?? value.split(/\s+/)[0]!;
  const match = /^(?:udp:)?([^:\s]+):(\d+)$/.exec(udp);
  return match ? { host: match[1]!, port: Number(match[2]) } : undefined;
}

const KIND = { internal: 1, server: 2, client: 3, producer: 4, consumer: 5 } as const;
const EXPORT_TIMEOUT_MS = 2_000;

type AttributeValue = { stringValue: string } | { intValue: string } | { boolValue: boolean } | { doubleValue: number };
const attributeValue = (value: string | number | boolean): AttributeValue =>
  typeof value === 'boolean' ? { boolValue: value } : typeof value === 'number' ? (Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value }) : { stringValue: value };

/** X-Ray's `1-6745a1b2-0123456789abcdef01234567` is W3C's `6745a1b20123456789abcdef01234567`. */
export const w3cTraceId = (xrayTraceId: string): string => xrayTraceId.replace(/^1-/, '').replace('-', '');
const nanos = (seconds: number): string => (BigInt(Math.round(seconds * 1e6)) * 1_000n).toString();

const snakeCase = (name: string): string => name.replace(/[A-Z]/g, (letter, offset: number) => `${offset > 0 ? '_' : ''}${letter.toLowerCase()}`);

/** One span in OTLP/JSON, with OpenTelemetry's attribute names for what X-Ray's document says. */
function otlpSpan(span: Span): Record<string, unknown> {
  const attributes: Record<string, string | number | boolean> = {};
  if (span.http?.request) {
    attributes['http.request.method'] = span.http.request.method;
    attributes['url.full'] = span.http.request.url;
  }
  if (span.http?.response) attributes['http.response.status_code'] = span.http.response.status;
  if (span.namespace === 'aws') {
    attributes['rpc.system'] = 'aws-api';
    attributes['rpc.service'] = span.name;
    if (span.aws?.operation !== undefined) attributes['rpc.method'] = span.aws.operation;
    if (span.aws?.table_name !== undefined) attributes['aws.dynamodb.table_names'] = span.aws.table_name;
    if (span.aws?.queue_url !== undefined) attributes['aws.sqs.queue_url'] = span.aws.queue_url;
    if (span.aws?.request_id !== undefined) attributes['aws.request_id'] = span.aws.request_id;
  }
  // Our annotations under the `app.` prefix in snake case (EventId → app.event_id); the cold start has a convention of its own.
  for (const [key, value] of Object.entries(span.annotations ?? {})) attributes[key === 'ColdStart' ? 'faas.coldstart' : `app.${snakeCase(key)}`] = value;
  if (span.throttle) attributes['app.throttled'] = true;
  const failed = span.fault || span.error;
  return {
    traceId: w3cTraceId(span.trace_id),
    spanId: span.id,
    parentSpanId: span.parent_id,
    name: span.name,
    kind: KIND[span.kind],
    startTimeUnixNano: nanos(span.start_time),
    endTimeUnixNano: nanos(span.end_time ?? span.start_time),
    attributes: Object.entries(attributes).map(([key, value]) => ({ key, value: attributeValue(value) })),
    status: failed ? { code: 2, message: span.cause?.exceptions[0]?.type ?? (span.fault ? 'fault' : 'error') } : { code: 0 },
  };
}

/** The OTLP/JSON body of an export request: one resource (this function), one scope. */
export function otlpBody(spans: readonly Span[], serviceName: string, functionName: string | undefined): string {
  const resource = { 'service.name': serviceName, 'cloud.provider': 'aws', 'cloud.platform': 'aws_lambda', ...(functionName && { 'faas.name': functionName }) };
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: Object.entries(resource).map(([key, value]) => ({ key, value: attributeValue(value) })) },
        scopeSpans: [{ scope: { name: 'card-issuance-workers' }, spans: spans.map(otlpSpan) }],
      },
    ],
  });
}

/**
 * OTLP over HTTP (JSON) to X-Ray's OTLP endpoint (`https://xray.<region>.amazonaws.com/v1/traces`,
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT), signed with SigV4 as the `xray` service with the function's
 * role: what an OpenTelemetry SDK's OTLP exporter with the SigV4 extension sends, without the SDK.
 * Spans are held for the invocation and sent in one request before it returns, only when the
 * invocation recorded any (sampled ones); a failed export is dropped, never retried into the
 * invocation's time. The endpoint needs CloudWatch Transaction Search on in the account.
 */
export class OtlpSink implements TraceSink {
  readonly origin: string;
  private readonly url: URL;
  private readonly signer: SignatureV4;
  private readonly functionName: string | undefined;
  private held: Span[] = [];

  constructor(
    endpoint: string,
    private readonly serviceName: string,
    env: NodeJS.ProcessEnv,
  ) {
    this.url = new URL(endpoint);
    this.origin = this.url.origin;
    const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
    this.signer = new SignatureV4({ service: 'xray', region, credentials: defaultProvider(), sha256: Sha256, applyChecksum: false });
    this.functionName = env.AWS_LAMBDA_FUNCTION_NAME;
  }

  send(span: Span): void {
    this.held.push(span);
  }

  async flush(): Promise<void> {
    if (this.held.length === 0) return;
    const spans = this.held;
    this.held = [];
    const body = otlpBody(spans, this.serviceName, this.functionName);
    try {
      const signed = await this.signer.sign({
        method: 'POST',
        protocol: this.url.protocol,
        hostname: this.url.hostname,
        ...(this.url.port && { port: Number(this.url.port) }),
        path: this.url.pathname,
        query: {},
        headers: { host: this.url.host, 'content-type': 'application/json' },
        body,
      });
      const response = await fetch(this.url, { method: 'POST', headers: signed.headers, body, signal: AbortSignal.timeout(EXPORT_TIMEOUT_MS) });
      await response.arrayBuffer();
    } catch {
      // Tracing never fails an invocation: these spans are lost, the next export is not.
    }
  }
}

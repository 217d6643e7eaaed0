import { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { instrument } from '../../shared/observability/instrument.js';
import { SetMetrics } from '../../shared/observability/metric-sets.js';
import { Tracer } from '../../shared/observability/tracer.js';

const context = {
  functionName: 'fn',
  awsRequestId: 'req-1',
  invokedFunctionArn: 'arn:aws:lambda:ap-south-1:0:function:fn',
  memoryLimitInMB: '512',
  getRemainingTimeInMillis: () => 1_000,
} as unknown as Context;

/** The lines a Metrics instance and a logger write, as CloudWatch would ingest them. */
function telemetry() {
  const lines: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (lines.push(String(chunk)), true));
  // POWERTOOLS_METRICS_DISABLED is set for the unit tests: these need the EMF lines.
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
  vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand');
  const logger = new Logger({ serviceName: 'svc', logLevel: 'INFO' });
  const metrics = new SetMetrics({ namespace: 'Test', serviceName: 'svc', logger });
  return { lines, telemetry: { logger, metrics, tracer: new Tracer('svc', {}) } };
}

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe('instrument', () => {
  it('publishes no empty metrics document and no warning when nothing was added', async () => {
    const { lines, telemetry: t } = telemetry();
    const handler = instrument(async () => 'ok', t);
    await handler({}, context);
    await handler({}, context);
    expect(lines.join('')).not.toContain('No application metrics');
    // The cold-start metric only, on the first invocation.
    expect(lines.filter((line) => line.includes('"ColdStart"'))).toHaveLength(1);
    expect(lines.filter((line) => line.includes('"_aws"'))).toHaveLength(1);
  });

  it('publishes what the handler added, also when it throws', async () => {
    const { lines, telemetry: t } = telemetry();
    const handler = instrument(async () => {
      t.metrics.addMetric('RecordsReceived', MetricUnit.Count, 3);
      throw new Error('boom');
    }, t);
    await expect(handler({}, context)).rejects.toThrow('boom');
    expect(lines.filter((line) => line.includes('"RecordsReceived":3'))).toHaveLength(1);
  });

  it('publishes each dimension set once per invocation, every metric of the set with its dimensions', async () => {
    const { lines, telemetry: t } = telemetry();
    const handler = instrument(async () => {
      for (const ms of [120, 250]) {
        t.metrics.addToSet({ endpoint: 'register', outcome: '200' }, 'DcmsCalls', MetricUnit.Count, 1);
        t.metrics.addToSet({ endpoint: 'register', outcome: '200' }, 'DcmsLatency', MetricUnit.Milliseconds, ms);
      }
      t.metrics.addToSet({ endpoint: 'register', outcome: '503' }, 'DcmsCalls', MetricUnit.Count, 1);
    }, t);
    await handler({}, context);
    const documents = lines.filter((line) => line.includes('DcmsCalls')).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(documents).toHaveLength(2);
    expect(documents[0]).toMatchObject({ service: 'svc', endpoint: 'register', outcome: '200', DcmsCalls: [1, 1], DcmsLatency: [120, 250] });
    expect(JSON.stringify(documents[0])).toContain('"Dimensions":[["service","endpoint","outcome"]]');
    expect(documents[1]).toMatchObject({ outcome: '503', DcmsCalls: 1 });
    // Nothing held over for the next invocation.
    lines.length = 0;
    await instrument(async () => undefined, t)({}, context);
    expect(lines.filter((line) => line.includes('DcmsCalls'))).toEqual([]);
  });
});

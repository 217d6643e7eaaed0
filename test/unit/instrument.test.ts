import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { instrument } from '../../shared/observability/instrument.js';
import { Tracer } from '../../shared/observability/tracer.js';

const context = { functionName: 'fn', awsRequestId: 'req-1', invokedFunctionArn: 'arn:aws:lambda:ap-south-1:0:function:fn', memoryLimitInMB: '512', getRemainingTimeInMillis: () => 1_000 } as unknown as Context;

/** The lines a Metrics instance and a logger write, as CloudWatch would ingest them. */
function telemetry() {
  const lines: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (lines.push(String(chunk)), true));
  // POWERTOOLS_METRICS_DISABLED is set for the unit tests: these need the EMF lines.
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
  vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand');
  const logger = new Logger({ serviceName: 'svc', logLevel: 'INFO' });
  const metrics = new Metrics({ namespace: 'Test', serviceName: 'svc', logger });
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
});

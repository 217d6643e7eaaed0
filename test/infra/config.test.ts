import { describe, expect, it } from 'vitest';
import { loadAppSettings } from '../../infra/config/app-config.js';
import { assertDcmsBudget, dcmsMaxConcurrency } from '../../infra/config/dcms-concurrency.js';
import { cdkJson, testApp } from './support.js';

const tenant = (perSecond: number) => ({ rateLimit: { perSecond, burst: perSecond * 2 } });

/** A copy of the project's settings in cdk.json, typed as far as a test changes them. */
const projectContext = <T>() => structuredClone(cdkJson.context['card-issuance']) as T;

describe('app settings from cdk.json', () => {
  it('cdk.json holds valid settings for dev and prod', () => {
    const settings = loadAppSettings(testApp());
    expect(Object.keys(settings.stages)).toEqual(['dev', 'prod']);
    expect(settings.stages.prod.retainData).toBe(true);
    expect(settings.stages.dev.resourcePrefix).not.toBe(settings.stages.prod.resourcePrefix);
  });

  it('synth runs offline: no notices, no telemetry, the app through tsx', () => {
    expect(cdkJson).toMatchObject({ app: 'npx tsx infra/bin/app.ts', notices: false, 'cli-telemetry': false });
  });

  it('each stage deploys into its own account, with its region, from cdk.json', () => {
    const { stages, pipeline } = loadAppSettings(testApp());
    expect(stages.dev).toMatchObject({ account: expect.stringMatching(/^\d{12}$/), region: 'ap-south-1' });
    expect(stages.prod).toMatchObject({ account: expect.stringMatching(/^\d{12}$/), region: 'ap-south-1' });
    expect(new Set([stages.dev.account, stages.prod.account, pipeline.account]).size).toBe(3);
  });
});

describe('app settings: what the loader refuses', () => {
  it('refuses a stage without its account, and prod sharing dev’s account', () => {
    type Stages = { stages: Record<'dev' | 'prod', Record<string, unknown>> };
    const unpinned = projectContext<Stages>();
    delete unpinned.stages.prod.account;
    delete unpinned.stages.dev.region;
    expect(() => loadAppSettings(testApp({ 'card-issuance': unpinned }))).toThrow(/stages\.dev\.region: .*; stages\.prod\.account: /);
    const shared = projectContext<Stages>();
    shared.stages.prod.account = shared.stages.dev.account;
    expect(() => loadAppSettings(testApp({ 'card-issuance': shared }))).toThrow(/stages\.prod\.account: prod must have an account of its own/);
  });

  it('every declared webhook route has its throttle, and prod sits behind CloudFront and WAF', () => {
    const { stages } = loadAppSettings(testApp());
    expect(stages.prod.webhooks.floodDefence.mode).toBe('cloudfront-waf');
    const missing = projectContext<{ stages: { dev: { webhooks: { routes: Record<string, unknown> } } } }>();
    delete missing.stages.dev.webhooks.routes.card91Auth;
    expect(() => loadAppSettings(testApp({ 'card-issuance': missing }))).toThrow(/stages\.dev\.webhooks\.routes\.card91Auth: /);
  });

  it('prod reserves its workers’ concurrency; the smoke test names a courier and tenant of its stage', () => {
    const { stages } = loadAppSettings(testApp());
    expect(stages.prod.reserveWorkerConcurrency).toBe(true);
    const context = projectContext<{ stages: { dev: { smokeTest: Record<string, unknown> } } }>();
    context.stages.dev.smokeTest.courier = 'nobody';
    expect(() => loadAppSettings(testApp({ 'card-issuance': context }))).toThrow(/stages\.dev\.smokeTest\.courier: must be one of the stage couriers/);
  });

  it('names every problem of a bad context at once', () => {
    const context = projectContext<{ stages: { prod: Record<string, unknown> } }>();
    context.stages.prod.logLevel = 'LOUD';
    context.stages.prod.tenants = [];
    expect(() => loadAppSettings(testApp({ 'card-issuance': context }))).toThrow(/stages\.prod\.logLevel: .*; stages\.prod\.tenants: /);
  });

  it('every courier integration weaker than HMAC says why, and names addresses or blocks only', () => {
    const settings = loadAppSettings(testApp());
    for (const courier of settings.stages.prod.couriers) if (courier.auth.mode === 'token') expect(courier.auth.reason.length, courier.courier).toBeGreaterThanOrEqual(20);
    const context = projectContext<{ stages: { prod: { couriers: Array<Record<string, unknown>> } } }>();
    context.stages.prod.couriers[0]!.auth = { mode: 'token', header: 'x-api-key' };
    context.stages.prod.couriers[1]!.auth = { mode: 'hmac', sourceIps: ['203.0.113.0/33'] };
    expect(() => loadAppSettings(testApp({ 'card-issuance': context }))).toThrow(/stages\.prod\.couriers\.0\.auth\.reason: .*stages\.prod\.couriers\.1\.auth\.sourceIps\.0: /);
  });
});

describe('DCMS maxConcurrency', () => {
  it('fills the largest tenant’s budget at typical latency: ⌈max perSecond × share × latency / (1000 × callsInFlight)⌉', () => {
    // 100/s × 0.75 × 0.25 s ≈ 19 calls in flight, 5 per instance → 4 instances (3.75 rounded up, so the budget is reached).
    expect(dcmsMaxConcurrency([tenant(100), tenant(50)], { share: 0.75, callsInFlight: 5 }, 250)).toBe(4);
    // The whole budget, one call per instance: 100/s × 0.25 s = 25 instances.
    expect(dcmsMaxConcurrency([tenant(100)], { share: 1, callsInFlight: 1 }, 250)).toBe(25);
    // A high-volume tenant sizes the fleet for everyone: 500/s × 0.8 × 0.25 s = 100 calls, 5 per instance → 20.
    expect(dcmsMaxConcurrency([tenant(50), tenant(500)], { share: 0.8, callsInFlight: 5 }, 250)).toBe(20);
  });

  it('grows with latency: slower answers need more calls in flight for the same rate', () => {
    const at = (latencyMs: number) => dcmsMaxConcurrency([tenant(100)], { share: 1, callsInFlight: 5 }, latencyMs);
    expect([at(150), at(250), at(500)]).toEqual([3, 5, 10]);
  });

  it('stays within what Lambda accepts (2 to 1000)', () => {
    expect(dcmsMaxConcurrency([tenant(50)], { share: 0.25, callsInFlight: 4 }, 200)).toBe(2);
    expect(dcmsMaxConcurrency([tenant(100_000)], { share: 1, callsInFlight: 1 }, 1_000)).toBe(1_000);
  });

  it('refuses shares that promise more than a tenant’s limit, and instances with no call in flight', () => {
    expect(() => dcmsMaxConcurrency([tenant(50)], { share: 1.5, callsInFlight: 1 }, 200)).toThrow(/share/);
    expect(() => dcmsMaxConcurrency([tenant(50)], { share: 0.5, callsInFlight: 0 }, 200)).toThrow(/call in flight/);
    expect(() =>
      assertDcmsBudget([
        { share: 0.75, callsInFlight: 1 },
        { share: 0.5, callsInFlight: 4 },
      ]),
    ).toThrow(/sum to 1.25/);
    expect(() =>
      assertDcmsBudget([
        { share: 0.75, callsInFlight: 1 },
        { share: 0.25, callsInFlight: 4 },
      ]),
    ).not.toThrow();
  });

  it('the bulk lane keeps a reserve for real time: its share is below 1', () => {
    const context = projectContext<{ stages: { prod: { dcms: Record<string, unknown> } } }>();
    context.stages.prod.dcms.bulkShare = 1;
    expect(() => loadAppSettings(testApp({ 'card-issuance': context }))).toThrow(/stages\.prod\.dcms\.bulkShare/);
    const settings = loadAppSettings(testApp());
    for (const stage of [settings.stages.dev, settings.stages.prod]) expect(stage.dcms).toMatchObject({ typicalLatencyMs: 250, bulkShare: 0.8 });
  });
});

import { describe, expect, it } from 'vitest';
import { XRAY_ACTIONS } from '../../../infra/constructs/integration-function.js';
import { cdkJson, synthStage } from '../support.js';

type Stages = { stages: Record<'dev' | 'prod', Record<string, unknown>> };
const project = cdkJson.context['card-issuance'] as Stages;

/** Our functions' environments (CDK's own helper functions carry no Powertools service). */
function environments(template: ReturnType<typeof synthStage>['template']): Record<string, unknown>[] {
  return Object.values(template.findResources('AWS::Lambda::Function'))
    .map((fn) => (fn.Properties.Environment?.Variables ?? {}) as Record<string, unknown>)
    .filter((variables) => 'POWERTOOLS_SERVICE_NAME' in variables);
}

describe('where traces go', () => {
  it('by default to the X-Ray daemon: no OTLP endpoint set', () => {
    const all = environments(synthStage('dev').template);
    expect(all.length).toBeGreaterThan(4);
    for (const variables of all) expect(variables).not.toHaveProperty('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  });

  it("with `traces: otlp`, every function exports to its region's X-Ray OTLP endpoint, and may write spans there", () => {
    const { stages } = project;
    const { template } = synthStage('dev', { 'card-issuance': { ...project, stages: { ...stages, dev: { ...stages.dev, traces: 'otlp' } } } });
    const all = environments(template);
    expect(all.length).toBeGreaterThan(4);
    for (const variables of all) expect(variables.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT).toBe(`https://xray.${String(stages.dev.region)}.amazonaws.com/v1/traces`);
    expect(XRAY_ACTIONS).toEqual(expect.arrayContaining(['xray:PutSpans', 'xray:PutSpansForIndexing']));
  });
});

import { readFileSync } from 'node:fs';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import type { PolicyValidationPluginReportBeta1 } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadAppSettings } from '../../infra/config/app-config.js';
import { PipelineStack } from '../../infra/stacks/pipeline-stack.js';
import { testApp } from './support.js';

/** The one written list of Control Tower rules the templates are allowed to fail: rule name → why. */
const exceptions = JSON.parse(readFileSync(new URL('../../infra/guard-exceptions.json', import.meta.url), 'utf8')) as Record<string, string>;

/** cfn-guard's report on the whole app is over a megabyte (every compliant check is listed). */
const MAX_GUARD_OUTPUT_BYTES = 64 * 1024 * 1024;

/** The bundled cfn-guard binary with the bundled Control Tower proactive-control rules (no download). */
const guard = new CfnGuardValidator({ maxBuffer: MAX_GUARD_OUTPUT_BYTES });

/** Failing rule → the `template: logical id` of each resource that fails it. */
function failures(report: PolicyValidationPluginReportBeta1): Map<string, string[]> {
  const byRule = new Map<string, string[]>();
  for (const violation of report.violations) {
    const resources = violation.violatingResources.map((r) => `${r.templatePath.split('/').pop()}: ${r.resourceLogicalId}`);
    byRule.set(violation.ruleName, [...(byRule.get(violation.ruleName) ?? []), ...resources]);
  }
  return byRule;
}

let templates: string[];
let failing: Map<string, string[]>;

beforeAll(() => {
  // Every stack of every stage, as `cdk synth` writes them (the stages' nested assemblies included), without bundling.
  const app = testApp();
  new PipelineStack(app, 'CardIssuancePipeline', { settings: loadAppSettings(app) });
  templates = app.synth().stacksRecursively.map((stack) => stack.templateFullPath);
  failing = failures(guard.validate({ templatePaths: templates, appConstruct: app }));
}, 180_000);

describe('AWS Control Tower proactive controls (cfn-guard)', () => {
  it('checks every template of every stage: pipeline and its us-east-1 support stack, dev, prod and its edge', () => {
    expect(templates.map((path) => path.split('/').pop()).sort()).toEqual([
      'CardIssuancePipeline.template.json',
      'CardIssuancePipelineDevCardIssuance7642AA05.template.json',
      'CardIssuancePipelineProdCardIssuance912F1C7C.template.json',
      'CardIssuancePipelineProdCardIssuanceEdgeB4AB8484.template.json',
      'cross-region-stack-300000000003_us-east-1.template.json',
    ]);
  });

  it('every failing rule is a written exception (infra/guard-exceptions.json)', () => {
    const unexcused = Object.fromEntries([...failing].filter(([rule]) => !(rule in exceptions)));
    expect(unexcused).toEqual({});
  });

  it('every written exception still fails: a rule that passes again leaves the file', () => {
    expect(Object.keys(exceptions).filter((rule) => !failing.has(rule))).toEqual([]);
  });

  it('every exception says why', () => {
    for (const reason of Object.values(exceptions)) expect(reason.length).toBeGreaterThan(80);
  });
});

import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { loadAppSettings, type StageSettings } from '../../infra/config/app-config.js';
import type { EdgeStack } from '../../infra/stacks/edge-stack.js';
import type { IntegrationStack } from '../../infra/stacks/integration-stack.js';
import { IntegrationStage } from '../../infra/stacks/integration-stage.js';

/** The real context of cdk.json: the tests check the configuration that ships. */
export const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as { app: string; context: Record<string, unknown> };

/**
 * An app with the project's context, without bundling (assertions need templates, not bundles) and
 * without the built-in CloudFormation schema validation (half the synth time; `cdk synth` in CI runs it).
 */
export function testApp(context: Record<string, unknown> = {}): App {
  return new App({ context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [], ...context }, builtinCloudFormationValidation: false });
}

export interface StageUnderTest {
  stage: IntegrationStage;
  stack: IntegrationStack;
  template: Template;
  settings: StageSettings;
  /** The edge stack (us-east-1) and its template, for stages behind CloudFront. */
  edge?: { stack: EdgeStack; template: Template };
}

/** One stage (its integration stack, and edge stack if any), as the pipeline deploys it. */
export function synthStage(name: 'dev' | 'prod', context: Record<string, unknown> = {}): StageUnderTest {
  const app = testApp(context);
  const settings = loadAppSettings(app);
  const stage = new IntegrationStage(app, name === 'dev' ? 'Dev' : 'Prod', { name, settings: settings.stages[name], tags: settings.tags, pipelineAccount: settings.pipeline.account });
  return {
    stage,
    stack: stage.stack,
    template: Template.fromStack(stage.stack),
    settings: settings.stages[name],
    ...(stage.edge && { edge: { stack: stage.edge, template: Template.fromStack(stage.edge) } }),
  };
}

type Resource = { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string };

/** Logical id of the one resource of `type` whose property `key` equals `value`. */
export function logicalIdOf(template: Template, type: string, key: string, value: unknown): string {
  const matches = Object.entries(template.findResources(type) as Record<string, Resource>).filter(([, r]) => JSON.stringify(r.Properties[key]) === JSON.stringify(value));
  if (matches.length !== 1) throw new Error(`expected one ${type} with ${key} = ${JSON.stringify(value)}, found ${matches.length}`);
  return matches[0]![0];
}

export const getAtt = (logicalId: string, attribute = 'Arn') => ({ 'Fn::GetAtt': [logicalId, attribute] });
export const ref = (logicalId: string) => ({ Ref: logicalId });

/**
 * What a function's role may do: every (action, resource) pair of the policies on its role, the
 * resources as CloudFormation expressions. Pairs, because the IAM policy minimizer merges statements.
 */
export function permissionsOf(template: Template, functionName: string): Map<string, unknown[]> {
  const fnId = logicalIdOf(template, 'AWS::Lambda::Function', 'FunctionName', functionName);
  const fn = template.toJSON().Resources[fnId] as Resource;
  const roleId = (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  const permissions = new Map<string, unknown[]>();
  for (const policy of Object.values(template.findResources('AWS::IAM::Policy') as Record<string, Resource>)) {
    const roles = policy.Properties.Roles as unknown[];
    if (!roles.some((r) => JSON.stringify(r) === JSON.stringify(ref(roleId)))) continue;
    const statements = (policy.Properties.PolicyDocument as { Statement: { Effect: string; Action: string | string[]; Resource: unknown }[] }).Statement;
    for (const statement of statements) {
      if (statement.Effect !== 'Allow') continue;
      const actions = [statement.Action].flat();
      const resources = Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
      for (const action of actions) permissions.set(action, [...(permissions.get(action) ?? []), ...resources]);
    }
  }
  return permissions;
}

// Synthesizes the stack the way bin/app.ts does, for template assertions. Each test file calls it once
// (bundling and cdk-nag take seconds) and shares the result between its tests.
import { readFileSync } from 'node:fs';
import { App, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { configFromContext } from '../../lib/stack/config.ts';
import { PROJECT_ROOT } from '../../lib/stack/shortener-function.ts';
import { ShortenerStack, stackName } from '../../lib/stack/shortener-stack.ts';

export interface Synthesized {
  readonly app: App;
  readonly stack: ShortenerStack;
  readonly template: Template;
}

export interface SynthOptions {
  /** Run esbuild for real; without it the functions get placeholder code (CDK's `bundling-stacks` context). */
  readonly bundle?: boolean;
}

/** The context `cdk.json` gives every `cdk` command: the feature flags, so tests see what a deploy sees. */
export const CDK_JSON_CONTEXT = (
  JSON.parse(readFileSync(`${PROJECT_ROOT}cdk.json`, 'utf8')) as { context: Record<string, unknown> }
).context;

export interface StackEnvironment {
  readonly account?: string;
  readonly region?: string;
}

export function synthesize(
  context: Record<string, string> = {},
  options: SynthOptions & { env?: StackEnvironment } = {},
): Synthesized {
  const app = new App({
    context: { ...CDK_JSON_CONTEXT, ...context, ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }) },
  });
  const config = configFromContext(app.node);
  const stack = new ShortenerStack(app, stackName(config), { config, ...(options.env ? { env: options.env } : {}) });
  return { app, stack, template: Template.fromStack(stack) };
}

/** Unacknowledged cdk-nag AwsSolutions findings, as `rule at construct path` strings (empty when clean). */
export function nagFindings({ app, stack }: { app: App; stack: Stack }): string[] {
  const report = new AwsSolutionsChecks(app).validateScope(stack);
  return report.violations.flatMap((violation) =>
    violation.violatingResources.map((resource) => `${violation.ruleName} at ${resource.constructPath}`),
  );
}

export interface TemplateResource {
  Type: string;
  /** Always present here (empty when the template has none), so assertions can index it directly. */
  Properties: Record<string, unknown>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}
type Resources = Record<string, TemplateResource>;

export function resourcesOfType(template: Template, type: string): Resources {
  const found = template.findResources(type) as Record<string, Partial<TemplateResource>>;
  return Object.fromEntries(
    Object.entries(found).map(([id, resource]) => [
      id,
      { ...resource, Type: type, Properties: resource.Properties ?? {} },
    ]),
  );
}

/** The single resource of a type, failing loudly when there is not exactly one. */
export function onlyResource(
  template: Template,
  type: string,
): { logicalId: string; properties: Record<string, unknown> } {
  const entries = Object.entries(resourcesOfType(template, type));
  if (entries.length !== 1) throw new Error(`expected one ${type}, found ${entries.length}`);
  const [logicalId, resource] = entries[0] as [string, TemplateResource];
  return { logicalId, properties: resource.Properties };
}

// The repository is deployable the way CDK teams expect: scripts, feature flags, runbooks behind every alarm,
// a cost table that counts what is provisioned, a licence and a changelog for the version.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { RUNBOOKS } from '../../lib/stack/alarms.ts';
import { CONTEXT_KEYS, DEFAULTS, parseConfig } from '../../lib/stack/config.ts';
import { PROJECT_ROOT } from '../../lib/stack/shortener-function.ts';
import { stackName } from '../../lib/stack/shortener-stack.ts';
import { CDK_JSON_CONTEXT, resourcesOfType, type Synthesized, synthesize } from './synth.ts';

const read = (path: string) => readFileSync(`${PROJECT_ROOT}${path}`, 'utf8');
const pkg = JSON.parse(read('package.json')) as {
  version: string;
  license: string;
  scripts: Record<string, string>;
  devDependencies: Record<string, string>;
};
const readme = read('README.md');

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
const anchor = (heading: string) =>
  heading
    .toLowerCase()
    .replace(/[^\w\- ]/g, '')
    .replace(/ /g, '-');

/** The first cells of the README table whose header row starts with `| <firstHeader> |`. */
function firstColumn(firstHeader: string): string[] {
  const lines = readme.split('\n');
  const start = lines.findIndex((line) => line.startsWith(`| ${firstHeader} |`));
  const cells: string[] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    cells.push(line.split('|')[1]?.trim() ?? '');
  }
  return cells;
}

let synth: Synthesized;

beforeAll(() => {
  synth = synthesize();
});

describe('aws-deployment', () => {
  it('R15.1 cdk.json sets every feature flag the installed aws-cdk-lib recommends, at its recommended value', () => {
    const recommended = JSON.parse(read('node_modules/aws-cdk-lib/recommended-feature-flags.json')) as Record<
      string,
      unknown
    >;
    expect(Object.keys(recommended).length).toBeGreaterThan(50);
    for (const [flag, value] of Object.entries(recommended)) expect(CDK_JSON_CONTEXT[flag], flag).toEqual(value);
  });

  it("R15.4 npm run deploy, diff and destroy wrap the pinned CDK CLI and name the stage's stack", () => {
    expect(pkg.devDependencies['aws-cdk']).toMatch(/^\d+\.\d+\.\d+$/);
    for (const verb of ['deploy', 'diff', 'destroy']) {
      const script = pkg.scripts[verb] ?? '';
      const match = new RegExp(`^cdk ${verb} "([^"]+)"`).exec(script);
      expect(match, `${verb}: ${script}`).not.toBeNull();
      const pattern = new RegExp(`^${(match?.[1] ?? '').replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
      for (const stage of ['prod', 'dev-alice', 'staging']) {
        expect(stackName(parseConfig({ stage })), `${verb} ${stage}`).toMatch(pattern);
      }
      expect('CDKToolkit', verb).not.toMatch(pattern);
    }
  });

  it('R15.5 every alarm description links its section of docs/runbooks.md, and that section exists', () => {
    const runbooks = read(RUNBOOKS);
    const anchors = new Set(
      runbooks
        .split('\n')
        .filter((line) => line.startsWith('## '))
        .map((line) => anchor(line.slice(3))),
    );
    const alarms = Object.entries(resourcesOfType(synth.template, 'AWS::CloudWatch::Alarm'));
    expect(alarms.length).toBeGreaterThan(0);
    for (const [id, alarm] of alarms) {
      const link = new RegExp(`${RUNBOOKS}#([\\w-]+)$`).exec(String(alarm.Properties.AlarmDescription));
      expect(link, id).not.toBeNull();
      expect(anchors, `${id} -> #${link?.[1]}`).toContain(link?.[1]);
    }
    for (const section of anchors) {
      if (section === 'rotating-the-origin-secret') continue;
      expect(runbooks, section).toMatch(/\*\*Means:\*\*[\s\S]*\*\*Look at:\*\*[\s\S]*\*\*Do:\*\*/);
    }
  });

  it('R15.6 the cost table counts what the default stack provisions: alarms, secrets, shards', () => {
    const costs = readme.slice(readme.indexOf('### Monthly cost'));
    const alarms = Number(/CloudWatch alarms: (\d+) ×/.exec(costs)?.[1]);
    expect(alarms).toBe(Object.keys(resourcesOfType(synth.template, 'AWS::CloudWatch::Alarm')).length);
    const secrets = Number(/Secrets Manager: (\d+) secret/.exec(costs)?.[1]);
    expect(secrets).toBe(Object.keys(resourcesOfType(synth.template, 'AWS::SecretsManager::Secret')).length);
    const shards = Number(/Kinesis: (\d+) shard/.exec(costs)?.[1]);
    expect(shards).toBe(DEFAULTS.shardCount);
    expect(Object.keys(resourcesOfType(synth.template, 'AWS::CloudWatch::Dashboard'))).toHaveLength(
      Number(/CloudWatch dashboard: (\d+) ×/.exec(costs)?.[1]),
    );
  });

  it('R11.4 one README table lists every context option, each once', () => {
    const options = firstColumn('context option').flatMap((cell) =>
      [...cell.matchAll(/`(\w+)`/g)].map((match) => match[1]),
    );
    expect([...options].sort()).toEqual(Object.values(CONTEXT_KEYS).sort());
  });

  it('R15.7 MIT licence stated in LICENSE, package.json and the README; a changelog entry for this version', () => {
    expect(read('LICENSE')).toMatch(/^MIT License/);
    expect(pkg.license).toBe('MIT');
    expect(readme).toMatch(/Licence: MIT/);
    expect(read('CHANGELOG.md')).toMatch(
      new RegExp(`^## \\[${pkg.version.replace(/\./g, '\\.')}\\] - \\d{4}-\\d{2}-\\d{2}$`, 'm'),
    );
    expect(read('CHANGELOG.md')).toContain('Keep a Changelog');
    expect(read('CONTRIBUTING.md')).toMatch(/## Add an API route/);
    expect(read('SECURITY.md')).toMatch(/## Reporting a vulnerability/);
  });
});

// The function bundles as CDK built them with local esbuild, inspected as files. That each one
// initialises and answers under Lambda's runtime client is proven by the runtime harness (test/runtime/).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FUNCTION_ENTRIES, type FunctionEntry } from '../../lib/stack/shortener-function.ts';
import { deployedFunctions } from '../runtime/functions.ts';

const ENTRIES = FUNCTION_ENTRIES;
const bundles = {} as Record<FunctionEntry, string>;

beforeAll(() => {
  const { functions } = deployedFunctions();
  for (const entry of ENTRIES) bundles[entry] = functions[entry].codeDir;
});

/** Static imports (at statement starts, not inside the SDK's error messages). */
const staticImports = (code: string) =>
  [...code.matchAll(/(?:^|;)\s*import\s*(?:[\w$*{}\s,]+from\s*)?["']([^"']+)["']/g)].map((match) => match[1]);

describe('aws-deployment', () => {
  it('R6.1 every function is one minified ESM file with the AWS SDK bundled in', () => {
    const builtins = new Set([...builtinModules, ...builtinModules.map((name) => `node:${name}`)]);
    for (const entry of ENTRIES) {
      const files = readdirSync(bundles[entry]);
      expect(files, entry).toEqual(['index.mjs']);
      const code = readFileSync(join(bundles[entry], 'index.mjs'), 'utf8');
      const imported = staticImports(code);
      expect(imported.length, entry).toBeGreaterThan(0);
      expect(
        imported.filter((name) => name && !builtins.has(name)),
        entry,
      ).toEqual([]);
      const lines = code.split('\n').length;
      expect(code.length / lines, `${entry} looks unminified`).toBeGreaterThan(300);
    }
  });

  it('R6.1 the SDK-using bundles really contain the SDK clients they call', () => {
    const code = (entry: FunctionEntry) => readFileSync(join(bundles[entry], 'index.mjs'), 'utf8');
    for (const entry of ['create-link', 'list-links', 'delete-link', 'redirect', 'count-clicks'] as const) {
      expect(code(entry), entry).toContain('DynamoDB_20120810');
    }
    expect(code('redirect')).toContain('Kinesis_20131202');
    expect(statSync(join(bundles['not-allowed'], 'index.mjs')).size).toBeLessThan(50_000);
  });

  it('R1.1 bundling works with Docker unusable (CDK_DOCKER=/bin/false): local esbuild only', () => {
    for (const entry of ENTRIES) expect(existsSync(join(bundles[entry], 'index.mjs')), entry).toBe(true);
  });
});

describe('lambda-runtime', () => {
  it('R6.5 no bundle imports a Node.js built-in through its ESM wrapper: each takes the CommonJS object', () => {
    for (const entry of ENTRIES) {
      const code = readFileSync(join(bundles[entry], 'index.mjs'), 'utf8');
      // node:module is the banner's, for `require`. Any other name here needs its file in lambdas/builtins/.
      expect(staticImports(code), entry).toEqual(['node:module']);
      expect(code, entry).toContain('process.getBuiltinModule("node:');
    }
  });
});

// Bundle sizes: each Lambda entry bundled as the CDK stack bundles it (lib/stack/shortener-function.ts:
// ESM, minified, AWS SDK bundled, the same require banner and main fields, target = the runtime's Node
// version). Cold starts are measured on the runtime harness (cold-start.ts).
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { ESM_REQUIRE_BANNER, latestNodeRuntime, PROJECT_ROOT } from '../lib/stack/shortener-function.ts';

export interface BundleResult {
  target: string;
  sizes: { entry: string; bytes: number; gzipBytes: number }[];
}

export async function measureBundles(): Promise<BundleResult> {
  const outdir = await mkdtemp(path.join(os.tmpdir(), 'shortener-bundles-'));
  try {
    const entryDir = path.join(PROJECT_ROOT, 'lambdas', 'entry');
    const entries = (await readdir(entryDir)).filter((name) => name.endsWith('.ts')).sort();
    const target = `node${/^nodejs(\d+)\.x$/.exec(latestNodeRuntime().name)?.[1] ?? '22'}`;
    await build({
      entryPoints: entries.map((name) => path.join(entryDir, name)),
      outdir,
      outExtension: { '.js': '.mjs' },
      bundle: true,
      format: 'esm',
      platform: 'node',
      target,
      minify: true,
      mainFields: ['module', 'main'],
      banner: { js: ESM_REQUIRE_BANNER },
      logLevel: 'silent',
    });
    const sizes = [];
    for (const name of entries) {
      const code = await readFile(path.join(outdir, name.replace(/\.ts$/, '.mjs')));
      sizes.push({ entry: name.replace(/\.ts$/, ''), bytes: code.length, gzipBytes: gzipSync(code).length });
    }

    return { target, sizes };
  } finally {
    await rm(outdir, { recursive: true, force: true });
  }
}

// Bundle sizes: each Lambda entry bundled as the CDK stack bundles it (`functionBundling()`). Cold starts are
// measured on the runtime harness (cold-start.ts).
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { functionBundling, PROJECT_ROOT } from '../lib/stack/shortener-function.ts';

export interface BundleResult {
  target: string;
  sizes: { entry: string; bytes: number; gzipBytes: number }[];
}

export async function measureBundles(): Promise<BundleResult> {
  const outdir = await mkdtemp(path.join(os.tmpdir(), 'shortener-bundles-'));
  try {
    const entryDir = path.join(PROJECT_ROOT, 'lambdas', 'entry');
    const entries = (await readdir(entryDir)).filter((name) => name.endsWith('.ts')).sort();
    const bundling = functionBundling();
    await build({
      ...bundling,
      mainFields: [...bundling.mainFields],
      entryPoints: entries.map((name) => path.join(entryDir, name)),
      outdir,
      outExtension: { '.js': '.mjs' },
      logLevel: 'silent',
    });
    const sizes = [];
    for (const name of entries) {
      const code = await readFile(path.join(outdir, name.replace(/\.ts$/, '.mjs')));
      sizes.push({ entry: name.replace(/\.ts$/, ''), bytes: code.length, gzipBytes: gzipSync(code).length });
    }

    return { target: bundling.target, sizes };
  } finally {
    await rm(outdir, { recursive: true, force: true });
  }
}

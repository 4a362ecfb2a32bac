// Cold-start proxy: each Lambda entry bundled as the CDK stack bundles it (lib/stack/shortener-function.ts:
// ESM, minified, AWS SDK bundled, the same require banner and main fields, target = the runtime's Node
// version), its size, and the time a fresh Node process takes to load the redirect bundle compared
// with an empty module.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { ESM_REQUIRE_BANNER, latestNodeRuntime, PROJECT_ROOT } from '../lib/stack/shortener-function.ts';
import { median } from './stats.ts';

export interface BundleResult {
  target: string;
  sizes: { entry: string; bytes: number; gzipBytes: number }[];
  redirectLoadMs: number;
  emptyLoadMs: number;
  ratio: number;
}

export async function measureBundles(runs = 15): Promise<BundleResult> {
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

    const empty = path.join(outdir, 'empty.mjs');
    await writeFile(empty, '');
    const env = {
      PATH: process.env.PATH,
      LINKS_TABLE: 'links',
      CLICK_STREAM: 'clicks',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'bench',
      AWS_SECRET_ACCESS_KEY: 'bench',
    };
    const load = (file: string) => {
      const started = performance.now();
      const result = spawnSync(process.execPath, [file], { env, stdio: 'ignore' });
      if (result.status !== 0) throw new Error(`loading ${file} exited with ${result.status}`);
      return performance.now() - started;
    };
    const redirect = path.join(outdir, 'redirect.mjs');
    load(redirect);
    load(empty);
    const redirectTimes: number[] = [];
    const emptyTimes: number[] = [];
    for (let i = 0; i < runs; i++) {
      redirectTimes.push(load(redirect));
      emptyTimes.push(load(empty));
    }
    const redirectLoadMs = median(redirectTimes);
    const emptyLoadMs = median(emptyTimes);
    return { target, sizes, redirectLoadMs, emptyLoadMs, ratio: redirectLoadMs / emptyLoadMs };
  } finally {
    await rm(outdir, { recursive: true, force: true });
  }
}

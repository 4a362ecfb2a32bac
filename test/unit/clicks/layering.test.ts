import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

async function sources(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

describe('click-pipeline', () => {
  it('R8.3 replay, benchmarks and local mode use the count-clicks use case, never the stream handler', async () => {
    const files = (await Promise.all(['lib', 'bin', 'bench'].map(sources))).flat();
    expect(files.length).toBeGreaterThan(10);
    const offenders: string[] = [];
    for (const file of files) {
      if (/lambdas\/handlers\/count-clicks/.test(await readFile(file, 'utf8'))) offenders.push(file);
    }
    expect(offenders).toEqual([]);
  });

  it('R8.1 the stream handler only adapts: decode, call the use case, map its outcome', async () => {
    const handler = await readFile('lambdas/handlers/count-clicks.ts', 'utf8');
    expect(handler).toContain('countClicks(');
    expect(handler.split('\n').length).toBeLessThanOrEqual(15);
  });

  it('R3.3 sequence numbers are padded only inside the DynamoDB adapters', async () => {
    const files = (await Promise.all(['lambdas', 'lib', 'bin', 'bench'].map(sources))).flat();
    const padding: string[] = [];
    for (const file of files) {
      if (/padSequenceNumber|padStart\(\s*SEQUENCE/.test(await readFile(file, 'utf8'))) padding.push(file);
    }
    expect(padding.sort()).toEqual(
      [
        'lambdas/adapters/dynamo-counter-store.ts',
        'lambdas/adapters/dynamo-day-store.ts',
        'lambdas/adapters/sequence-marks.ts',
      ].filter((file) => padding.includes(file)),
    );
    expect(padding).toContain('lambdas/adapters/sequence-marks.ts');
  });
});

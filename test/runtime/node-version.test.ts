import { describe, expect, it } from 'vitest';
import { latestNodeRuntime } from '../../lib/stack/shortener-function.ts';
import packageJson from '../../package.json' with { type: 'json' };

describe('lambda-runtime', () => {
  it('R8.1 the tests run on the Node.js pinned as a development dependency, the major the functions deploy to', () => {
    const pinned = packageJson.devDependencies.node;
    expect(process.version).toBe(`v${pinned}`);
    expect(latestNodeRuntime().name).toBe(`nodejs${pinned.split('.')[0]}.x`);
  });
});

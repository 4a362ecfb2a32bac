// How the client is installed: the `bin` entry and its launcher.
import { readFile, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../../..', import.meta.url));

describe('cli', () => {
  it('R7.1 declares the shorten command as an executable node script', async () => {
    const pkg = JSON.parse(await readFile(`${REPO}/package.json`, 'utf8')) as { bin?: Record<string, string> };
    expect(pkg.bin).toEqual({ shorten: 'bin/shorten.js' });
    const launcher = await readFile(`${REPO}/bin/shorten.js`, 'utf8');
    expect(launcher.startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect((await stat(`${REPO}/bin/shorten.js`)).mode & 0o111).toBe(0o111);
  });

  it('R7.2 keeps the client to erasable TypeScript, so Node can run it without tsx', async () => {
    const { readdir } = await import('node:fs/promises');
    for (const file of await readdir(`${REPO}/lib/cli`)) {
      const source = await readFile(`${REPO}/lib/cli/${file}`, 'utf8');
      // Parameter properties, enums and namespaces need a compiler; type stripping rejects them.
      expect(source, file).not.toMatch(/constructor\([^)]*\b(private|public|protected|readonly)\s/);
      expect(source, file).not.toMatch(/^\s*(export\s+)?(const\s+)?enum\s|^\s*(export\s+)?namespace\s/m);
      // Only the client and the shared formats: other modules of the repository may use more.
      for (const [, specifier] of source.matchAll(/from '(\.[^']+)'/g)) {
        expect(specifier, file).toMatch(/^\.\/[a-z-]+\.ts$|^\.\.\/\.\.\/frontend\/assets\/link-files\.js$/);
      }
    }
  });
});

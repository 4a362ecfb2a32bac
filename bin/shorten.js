#!/usr/bin/env node
// The `shorten` command-line client. Runs the TypeScript sources directly: through tsx when it is
// installed (a clone with its dev dependencies), else through Node's own type stripping (Node 22.18+).

let load = (specifier) => import(specifier);
try {
  const { tsImport } = await import('tsx/esm/api');
  load = (specifier) => tsImport(specifier, import.meta.url);
} catch {
  // No tsx: rely on Node stripping the types itself.
}
const { main } = await load('../lib/cli/main.ts');
process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  fetch: globalThis.fetch,
  now: () => new Date(),
});

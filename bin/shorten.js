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
let main;
try {
  ({ main } = await load('../lib/cli/main.ts'));
} catch (error) {
  process.stderr.write(
    `shorten: cannot load the client (${error.message}).\n` +
      `It needs tsx (run \`npm ci\` in the clone) or Node.js 22.18 or later; this is Node.js ${process.versions.node}.\n`,
  );
  process.exit(1);
}
process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  fetch: globalThis.fetch,
  now: () => new Date(),
});

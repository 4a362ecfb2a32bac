// `npm start`: the whole shortener on this machine. PORT picks the port (default 3000, 0 = any free one);
// data stays in `.local/`, so a restart keeps links, counts and accounts.
import { startLocalSystem } from '../lib/local/system.ts';

const port = Number(process.env.PORT ?? 3000);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`PORT must be a port number (0-65535), got "${process.env.PORT}"`);
  process.exit(1);
}

const startedAt = performance.now();
let system: Awaited<ReturnType<typeof startLocalSystem>>;
try {
  system = await startLocalSystem({ port, dataDir: '.local' });
} catch (error) {
  if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    console.error(
      `Port ${port} on 127.0.0.1 is already in use: stop what runs there, or start with PORT=<another port> (PORT=0 picks a free one).`,
    );
  } else {
    console.error(`Local mode could not start: ${(error as Error)?.stack ?? String(error)}`);
  }
  process.exit(1);
}

console.log(`
URL shortener running at ${system.url}  (ready in ${Math.round(performance.now() - startedAt)} ms)

  Open ${system.url} and sign up with any email address and a password of 12+ characters with
  upper and lower case letters, a digit and a symbol. The confirmation code is printed here.
  Data: ${system.dataDir}    Stop: Ctrl-C
`);

let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: finishing pending clicks and shutting down...`);
  try {
    await system.stop();
    process.exit(0);
  } catch (error) {
    console.error(`shutdown failed: ${String(error)}`);
    process.exit(1);
  }
};
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

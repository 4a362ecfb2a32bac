// `npm start` as a user runs it, and restarts: the process prints its URL, serves, shuts down cleanly
// on Ctrl-C or SIGTERM, refuses a taken port, and keeps data and tokens across restarts.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { callCognito } from '../../lib/local/cognito-api.ts';
import { createUser, TEST_PASSWORD, uniqueEmail } from '../support/cognito.ts';
import { apiClient, type Link, type LinkList, newDataDir, startTestSystem, waitFor } from '../support/local-system.ts';

const TSX = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));
const LOCAL_BIN = fileURLToPath(new URL('../../bin/local.ts', import.meta.url));

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Runs `tsx bin/local.ts` (what `npm start` runs) in `cwd`, so its `.local/` lands there. */
function runLocal(cwd: string, port: number): Started {
  const child = spawn(TSX, [LOCAL_BIN], { cwd, env: { ...process.env, PORT: String(port) }, stdio: 'pipe' });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  return { child, output: () => output, exited };
}

const cleanup: (() => Promise<unknown>)[] = [];

describe('local-mode', () => {
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step();
  });

  async function tempDir(): Promise<string> {
    const dir = await newDataDir();
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    return dir;
  }

  it('R1.5 keeps links, counts, accounts and already issued tokens across a restart', async () => {
    const dataDir = await tempDir();
    const first = await startTestSystem({ dataDir, consumer: { maxBatchingWindowSeconds: 0.5 } });
    let user: Awaited<ReturnType<typeof createUser>>;
    let link: Link;
    try {
      user = await createUser(first.pageConfig.cognito);
      const response = await apiClient(first, user.accessToken).create({ url: 'https://example.com/kept' });
      link = (await response.json()) as Link;
      await apiClient(first).visit(link.link);
      await waitFor(
        async () => {
          const list = (await (await apiClient(first, user.accessToken).list()).json()) as LinkList;
          return list.items[0]?.count === 1 ? true : undefined;
        },
        { what: 'click counted before restart' },
      );
    } finally {
      await first.stop();
    }

    const second = await startTestSystem({ dataDir });
    cleanup.push(() => second.stop());
    expect(second.pageConfig).toEqual(first.pageConfig);
    // The token was issued before the restart: same pool, client, issuer port and key.
    const list = (await (await apiClient(second, user.accessToken).list()).json()) as LinkList;
    expect(list.items).toEqual([{ ...link, count: 1, shortUrl: `${second.url}/${link.link}` }]);
    expect((await apiClient(second).visit(link.link, 'HEAD')).headers.get('location')).toBe('https://example.com/kept');
    // The account itself is kept too: signing in again works.
    await expect(
      callCognito(second.pageConfig.cognito.endpoint, 'InitiateAuth', {
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: second.pageConfig.cognito.clientId,
        AuthParameters: { USERNAME: user.email, PASSWORD: TEST_PASSWORD },
      }),
    ).resolves.toHaveProperty('AuthenticationResult.AccessToken');
  }, 60_000);

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`R1.1 R1.2 R1.4 npm start prints its URL within seconds, serves the page, prints confirmation codes and exits 0 on ${signal}`, async () => {
      const cwd = await tempDir();
      const run = runLocal(cwd, 0);
      cleanup.push(async () => {
        if (run.child.exitCode === null) run.child.kill('SIGKILL');
      });
      const url = await waitFor(async () => /running at (http:\/\/127\.0\.0\.1:\d+)/.exec(run.output())?.[1], {
        timeoutMs: 30_000,
        what: 'URL printed',
      });
      expect((await fetch(url)).headers.get('content-type')).toMatch(/^text\/html/);

      const config = (await (await fetch(`${url}/config.json`)).json()) as { cognito: Record<string, string> };
      await callCognito(config.cognito.endpoint as string, 'SignUp', {
        ClientId: config.cognito.clientId,
        Username: uniqueEmail('console'),
        Password: TEST_PASSWORD,
      });
      await waitFor(async () => (/Code:\s+\d{6}/.test(run.output()) ? true : undefined), {
        what: 'confirmation code on the console',
      });

      run.child.kill(signal);
      expect(await run.exited).toBe(0);
      await expect(fetch(url)).rejects.toThrow();
    }, 60_000);
  }

  it('R1.3 exits with code 1 and a one-line message when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    cleanup.push(() => new Promise((resolve) => blocker.close(resolve)));
    const { port } = blocker.address() as AddressInfo;

    const run = runLocal(await tempDir(), port);
    expect(await run.exited).toBe(1);
    const lines = run
      .output()
      .split('\n')
      .filter((line) => line.includes(String(port)));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/already in use/);
  }, 30_000);
});

// `PORT` handling of `npm start`: the printed URL is where everything is served; a taken port fails fast.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runToExit, type Shortener, startShortener } from './harness.ts';

let blocker: Server;
let blockedPort: number;
let shortener: Shortener;
let chosenPort: number;

/** A port that was free a moment ago (the OS picks it, then it is released). */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

beforeAll(async () => {
  blocker = createServer((_req, res) => res.end('someone else'));
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  blockedPort = (blocker.address() as AddressInfo).port;
  chosenPort = await freePort();
  shortener = await startShortener({ port: String(chosenPort) });
});

afterAll(async () => {
  await shortener?.stop();
  await new Promise((resolve) => blocker?.close(resolve));
});

describe('contract', () => {
  it('One origin: PORT=<n> prints http://127.0.0.1:<n> and serves page, config and API there', async () => {
    expect(shortener.url).toBe(`http://127.0.0.1:${chosenPort}`);
    const page = await fetch(`${shortener.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect((await fetch(`${shortener.url}/config.json`)).status).toBe(200);
    expect((await fetch(`${shortener.url}/links`)).status).toBe(401);
  });

  it('One origin: a port in use makes npm start exit non-zero quickly with a message naming the port', async () => {
    const started = Date.now();
    const result = await runToExit(String(blockedPort), 20_000);
    expect(result.code).not.toBe(0);
    expect(result.code).not.toBeNull();
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(`${result.stdout}${result.stderr}`).toContain(String(blockedPort));
    expect(result.stdout).not.toMatch(/running at/);
    // The other program on that port is untouched.
    expect(await (await fetch(`http://127.0.0.1:${blockedPort}/`)).text()).toBe('someone else');
  });

  it('One origin: a PORT that is not a port number is refused with a non-zero exit', async () => {
    for (const port of ['abc', '70000']) {
      const result = await runToExit(port, 20_000);
      expect(result.code, `PORT=${port}`).not.toBe(0);
      expect(result.code, `PORT=${port}`).not.toBeNull();
    }
  });
});

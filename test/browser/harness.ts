// What the browser tests share: Debian's Chromium driven by playwright-core, a tiny destination
// site for short links to land on, and the confirmation codes local mode prints.
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Browser, chromium, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/**
 * Headless, no network besides what the page asks for. `launch` gives each run a fresh temporary profile.
 * Without Chromium the browser tests fail (never skip), naming the package that provides it.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`browser tests need ${CHROMIUM}; install it with: apt-get install -y chromium`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface DestinationSite {
  url: string;
  close(): Promise<void>;
}

/** A page a short link can point at, on 127.0.0.1 and a port of its own (so not "self"). */
export async function startDestinationSite(): Promise<DestinationSite> {
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>Destination</title><h1>You have arrived at the destination</h1>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** The last confirmation code local mode printed for `email` (cognito-local's delivery box). */
export function confirmationCode(logs: readonly string[], email: string): string | undefined {
  for (const line of [...logs].reverse()) {
    const match = /Destination:\s*(\S+)[\s\S]*?Code:\s*(\w+)/.exec(line);
    if (match?.[1] === email) return match[2];
  }
  return undefined;
}

/** Collects Content-Security-Policy violations and script errors a page reports. */
export function watchForProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (/Content.Security.Policy|Refused to/i.test(message.text())) problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  return problems;
}

/** Opens the page and waits until app.js has decided between signed in and signed out. */
export async function openPage(target: Page, url: string): Promise<void> {
  await target.goto(url);
  await target.waitForSelector('html[data-ready="true"]');
}

/** Signs in through the form; `keep` ticks "Keep me signed in" so a reload of the tab stays signed in. */
export async function signInThroughPage(
  target: Page,
  user: { email: string; password: string },
  { keep = true } = {},
): Promise<void> {
  await target.locator('#sign-in-email').fill(user.email);
  await target.locator('#sign-in-password').fill(user.password);
  await target.getByLabel('Keep me signed in').setChecked(keep);
  await target.getByRole('button', { name: 'Sign in', exact: true }).click();
}

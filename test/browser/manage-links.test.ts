// The page's link management and account care in headless Chromium against a whole local system:
// tokens kept out of localStorage, sign-out revoking, forgotten and changed passwords, search,
// edit, QR codes, the stats window, import with its dry-run report, export, and polling back-off.
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, BrowserContext, Download, Page } from 'playwright-core';
import qrcode from 'qrcode-generator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CognitoApiError, callCognito } from '../../lib/local/cognito-api.ts';
import { createUser, type TestUser } from '../support/cognito.ts';
import { startTestSystem, type TestSystem, waitFor } from '../support/local-system.ts';
import {
  confirmationCode,
  type DestinationSite,
  launchChromium,
  openPage,
  signInThroughPage,
  startDestinationSite,
  watchForProblems,
} from './harness.ts';

const RESULTS_DIR = path.resolve('test-results');
const JWT = /eyJ[\w-]+\.eyJ[\w-]+/;
const NEW_PASSWORD = 'Geocities-Forever-1999?';

describe('web-page', () => {
  let system: TestSystem;
  let destination: DestinationSite;
  let browser: Browser;
  /** One signed-in user for the link management tests. */
  let user: TestUser;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];

  const cognito = () => ({
    endpoint: system.pageConfig.cognito.endpoint,
    userPoolId: system.pageConfig.cognito.userPoolId,
    clientId: system.pageConfig.cognito.clientId,
  });

  beforeAll(async () => {
    [system, destination, browser] = await Promise.all([startTestSystem(), startDestinationSite(), launchChromium()]);
    await mkdir(RESULTS_DIR, { recursive: true });
    user = await createUser(cognito());
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    page = await context.newPage();
    problems = watchForProblems(page);
    await open(page);
    await signIn(page, user, { keep: true });
  });

  afterAll(async () => {
    await browser?.close();
    await Promise.all([system?.dispose(), destination?.close()]);
  });

  const open = (target: Page) => openPage(target, system.url);

  async function signIn(target: Page, who: { email: string; password: string }, { keep = false } = {}) {
    await signInThroughPage(target, who, { keep });
    await target.locator('#signed-in').waitFor({ state: 'visible' });
  }

  /** Creates a link through the API, as the command-line client or another tab would. */
  async function createLink(body: Record<string, unknown>, token = user.accessToken) {
    const response = await fetch(`${system.url}/links`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(201);
    return (await response.json()) as { link: string; url: string; shortUrl: string };
  }

  /** Every link of `token`'s user, all pages. */
  async function listAll(token = user.accessToken) {
    const listed: { link: string; url: string }[] = [];
    let cursor: string | undefined;
    do {
      const query = new URLSearchParams({ limit: '100', ...(cursor ? { cursor } : {}) });
      const answer = await (
        await fetch(`${system.url}/links?${query}`, { headers: { authorization: `Bearer ${token}` } })
      ).json();
      listed.push(...answer.items);
      cursor = answer.nextCursor;
    } while (cursor);
    return listed;
  }

  const rows = (target: Page) => target.locator('#links-body tr');
  const row = (target: Page, code: string) => target.locator(`#links-body tr[data-link="${code}"]`);
  const storages = (target: Page) =>
    target.evaluate(() => ({
      local: Object.keys(localStorage).map((key) => `${key}=${localStorage.getItem(key)}`),
      session: Object.keys(sessionStorage).map((key) => `${key}=${sessionStorage.getItem(key)}`),
    }));

  async function downloaded(target: Page, button: string): Promise<{ name: string; body: Buffer }> {
    const [file] = await Promise.all([
      target.waitForEvent('download'),
      target.getByRole('button', { name: button }).click(),
    ]);
    return {
      name: (file as Download).suggestedFilename(),
      body: await readFile((await (file as Download).path()) as string),
    };
  }

  it('R1.12 keeps no token in localStorage; only "Keep me signed in" keeps one, in sessionStorage', async () => {
    const other = await createUser(cognito());
    const fresh = await browser.newContext();
    try {
      const tab = await fresh.newPage();
      await open(tab);
      await signIn(tab, other, { keep: false });
      let stored = await storages(tab);
      expect(stored.local.filter((entry) => JWT.test(entry) || entry.includes(other.refreshToken))).toEqual([]);
      expect(stored.session.filter((entry) => JWT.test(entry))).toEqual([]);
      // Not kept: a reload signs out.
      await open(tab);
      await expect(tab.locator('#signed-out').isVisible()).resolves.toBe(true);

      await signIn(tab, other, { keep: true });
      stored = await storages(tab);
      expect(stored.local.filter((entry) => JWT.test(entry))).toEqual([]);
      expect(stored.session.filter((entry) => JWT.test(entry))).toHaveLength(1);
      await open(tab);
      await expect(tab.locator('#signed-in').isVisible()).resolves.toBe(true);
      expect((await storages(tab)).local.filter((entry) => JWT.test(entry))).toEqual([]);
    } finally {
      await fresh.close();
    }
  });

  it('R1.8 sign-out revokes the refresh token at Cognito', async () => {
    const other = await createUser(cognito());
    const fresh = await browser.newContext();
    try {
      const tab = await fresh.newPage();
      const refreshTokens: string[] = [];
      tab.on('response', async (response) => {
        if (response.request().headers()['x-amz-target']?.endsWith('.InitiateAuth')) {
          const token = (await response.json().catch(() => ({})))?.AuthenticationResult?.RefreshToken;
          if (token) refreshTokens.push(token);
        }
      });
      await open(tab);
      await signIn(tab, other);
      const refreshToken = await waitFor(async () => refreshTokens[0], { what: 'refresh token issued' });
      const revoked = tab.waitForResponse((response) =>
        Boolean(response.request().headers()['x-amz-target']?.endsWith('.RevokeToken')),
      );
      await tab.getByRole('button', { name: 'Sign out' }).click();
      expect((await revoked).status()).toBe(200);
      await expect(
        callCognito(system.pageConfig.cognito.endpoint, 'InitiateAuth', {
          ClientId: system.pageConfig.cognito.clientId,
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          AuthParameters: { REFRESH_TOKEN: refreshToken },
        }),
      ).rejects.toThrow(/NotAuthorized/);
    } finally {
      await fresh.close();
    }
  });

  it('R1.13 resets a forgotten password with the e-mailed code, then signs in with the new one', async () => {
    const other = await createUser(cognito());
    const fresh = await browser.newContext();
    try {
      const tab = await fresh.newPage();
      await open(tab);
      await tab.getByRole('button', { name: 'Reset it' }).click();
      const form = tab.locator('#reset-form');
      await form.getByLabel('E-mail address').fill(other.email);
      const logged = system.logs.length;
      await tab.getByRole('button', { name: 'Send me a code' }).click();
      await expect.poll(() => form.locator('[data-notice]').textContent()).toContain('a code is on its way');
      const code = await waitFor(async () => confirmationCode(system.logs.slice(logged), other.email), {
        what: 'reset code in the log',
      });
      await form.getByLabel('Code from the e-mail').fill(code);
      await form.getByLabel('New password').fill('too-weak');
      await tab.getByRole('button', { name: 'Set new password' }).click();
      await expect(form.locator('.form-error').textContent()).resolves.toMatch(/still needs/);
      await form.getByLabel('New password').fill(NEW_PASSWORD);
      await tab.getByRole('button', { name: 'Set new password' }).click();
      await tab.locator('#sign-in-panel').waitFor({ state: 'visible' });
      await expect(tab.locator('#sign-in-form [data-notice]').textContent()).resolves.toContain('password is reset');
      await signIn(tab, { email: other.email, password: NEW_PASSWORD });
    } finally {
      await fresh.close();
    }
  });

  it('R1.14 changes the password while signed in; the old one stops working', async () => {
    const other = await createUser(cognito());
    const fresh = await browser.newContext();
    try {
      const tab = await fresh.newPage();
      await open(tab);
      await signIn(tab, other);
      await tab.getByRole('button', { name: 'Change password' }).click();
      const dialog = tab.getByRole('dialog', { name: 'Change your password' });
      await dialog.getByLabel('Current password').fill('Not-My-Password-1!');
      await dialog.getByLabel('New password').fill(NEW_PASSWORD);
      await dialog.getByRole('button', { name: 'Change password' }).click();
      await expect.poll(() => dialog.locator('.form-error').textContent()).toContain('current password is not right');
      await dialog.getByLabel('Current password').fill(other.password);
      await dialog.getByRole('button', { name: 'Change password' }).click();
      await expect.poll(() => dialog.isVisible()).toBe(false);
      await expect.poll(() => tab.locator('#toast').textContent()).toContain('password is changed');
      await expect(
        callCognito(system.pageConfig.cognito.endpoint, 'InitiateAuth', {
          ClientId: system.pageConfig.cognito.clientId,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: other.email, PASSWORD: NEW_PASSWORD },
        }),
      ).resolves.toHaveProperty('AuthenticationResult');
    } finally {
      await fresh.close();
    }
  });

  it('R3.8 R3.9 searches by code and destination, filters by state and sorts, across all pages', async () => {
    for (let n = 1; n <= 105; n++) await createLink({ url: `${destination.url}/catalogue/item-${n}` });
    await createLink({ url: `${destination.url}/guestbook.html`, alias: 'guestbook' });
    await createLink({ url: `${destination.url}/webring`, alias: 'ring-of-fire' });
    for (let visit = 0; visit < 2; visit++) await fetch(`${system.url}/ring-of-fire`, { redirect: 'manual' });
    await open(page);
    await expect.poll(() => page.locator('#links-summary').textContent()).toBe('Showing 1–20 of 107 links');

    const search = page.getByRole('searchbox', { name: 'Search' });
    await search.fill('item-7');
    // item-7 and item-70…79, one of them on the API's second page.
    await expect.poll(() => rows(page).count()).toBe(11);
    await expect(page.locator('#links-summary').textContent()).resolves.toBe(
      'Showing 1–11 of 11 matching links (107 in all)',
    );
    await search.fill('GUESTBOOK');
    await expect.poll(() => rows(page).count()).toBe(1);
    await expect(rows(page).first().getAttribute('data-link')).resolves.toBe('guestbook');
    await search.fill('ring-of');
    await expect.poll(() => rows(page).first().getAttribute('data-link')).toBe('ring-of-fire');
    await search.fill('no such thing anywhere');
    await expect.poll(() => rows(page).count()).toBe(0);
    await search.fill('');

    await page.getByLabel('Sort by').selectOption('most-clicks');
    await expect.poll(() => rows(page).first().getAttribute('data-link'), { timeout: 45_000 }).toBe('ring-of-fire');
    await page.getByLabel('Sort by').selectOption('code');
    const codes = await rows(page).evaluateAll((all) => all.map((tr) => (tr as HTMLElement).dataset.link ?? ''));
    expect(codes).toEqual([...codes].sort((a, b) => a.localeCompare(b)));
    await page.getByLabel('Sort by').selectOption('newest');
    await page.getByLabel('Show').selectOption('expired');
    await expect.poll(() => rows(page).count()).toBe(0);
    await page.getByLabel('Show').selectOption('all');
    expect(problems).toEqual([]);
  });

  it('R3.10 R9.1 edits the destination and the expiry; an expired link stays listed as expired', async () => {
    const link = await createLink({ url: `${destination.url}/before`, alias: 'edit-me' });
    await open(page);
    await page.getByRole('searchbox', { name: 'Search' }).fill('edit-me');
    await row(page, 'edit-me').getByRole('button', { name: 'Edit edit-me' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit link' });
    await dialog.getByLabel('Destination URL').fill('javascript:alert(1)');
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => dialog.locator('#edit-url-error').textContent()).toMatch(/^The URL .+\.$/);
    await dialog.getByLabel('Destination URL').fill(`${destination.url}/after`);
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);
    await expect
      .poll(() => row(page, 'edit-me').locator('.destination').textContent())
      .toBe(`${destination.url}/after`);
    const followed = await fetch(link.shortUrl, { redirect: 'manual' });
    expect(followed.headers.get('location')).toBe(`${destination.url}/after`);

    // An expiry about a minute ahead (the field has minutes): the row says when it expires.
    await row(page, 'edit-me').getByRole('button', { name: 'Edit edit-me' }).click();
    await dialog.getByLabel('Never expires').uncheck();
    const soon = new Date(Date.now() + 65_000);
    const pad = (n: number) => String(n).padStart(2, '0');
    await dialog
      .getByLabel('Expires', { exact: true })
      .fill(
        `${soon.getFullYear()}-${pad(soon.getMonth() + 1)}-${pad(soon.getDate())}T${pad(soon.getHours())}:${pad(soon.getMinutes())}`,
      );
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);
    await expect.poll(() => row(page, 'edit-me').locator('.state').textContent()).toMatch(/^Expires /);
    const [edited] = (await listAll()).filter((item) => item.link === 'edit-me') as { expiresAt?: string }[];
    expect(Date.parse(edited?.expiresAt ?? '')).toBe(new Date(soon).setSeconds(0, 0));

    // Once that instant has passed the link stays in the list, shown as expired (a page whose clock is ahead).
    const later = await browser.newContext();
    try {
      const tab = await later.newPage();
      await tab.clock.install({ time: Date.now() + 3 * 60_000 });
      await open(tab);
      await signIn(tab, user);
      await tab.getByLabel('Show').selectOption('expired');
      await expect.poll(() => rows(tab).count()).toBe(1);
      await expect(row(tab, 'edit-me').locator('.state').textContent()).resolves.toBe('Expired');
    } finally {
      await later.close();
    }
  });

  it('R10.1 R10.2 shows a QR code of the short link and downloads it as SVG and PNG (property: the modules are the library encoding of the URL)', async () => {
    const link = await createLink({ url: `${destination.url}/qr`, alias: 'scan-me' });
    await open(page);
    await page.getByRole('searchbox', { name: 'Search' }).fill('scan-me');
    await row(page, 'scan-me').getByRole('button', { name: 'QR code for scan-me' }).click();
    const dialog = page.getByRole('dialog', { name: 'QR code for /scan-me' });
    const image = dialog.getByRole('img', { name: `QR code of ${link.shortUrl}` });
    await image.waitFor({ state: 'visible' });
    await expect(image.boundingBox().then((box) => box?.width ?? 0)).resolves.toBeGreaterThan(150);

    // The drawn modules are exactly the library's encoding of the short URL.
    const expected = qrcode(0, 'M');
    expected.addData(link.shortUrl);
    expected.make();
    const dark = new Set<string>();
    for (let r = 0; r < expected.getModuleCount(); r++)
      for (let c = 0; c < expected.getModuleCount(); c++) if (expected.isDark(r, c)) dark.add(`${c + 4},${r + 4}`);

    const svg = await downloaded(page, 'Download SVG');
    expect(svg.name).toBe('scan-me-qr.svg');
    const text = svg.body.toString('utf8');
    expect(text).toMatch(/^<svg[^>]+xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    const drawn = new Set([...text.matchAll(/M(\d+) (\d+)h1v1h-1z/g)].map((m) => `${m[1]},${m[2]}`));
    expect(drawn).toEqual(dark);

    const png = await downloaded(page, 'Download PNG');
    expect(png.name).toBe('scan-me-qr.png');
    expect(png.body.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const side = (expected.getModuleCount() + 8) * 10;
    expect([png.body.readUInt32BE(16), png.body.readUInt32BE(20)]).toEqual([side, side]);
    await page.screenshot({ path: path.join(RESULTS_DIR, 'web-page-qr.png') });

    // Property: for seeded random short URLs of every length a code can have, the page's matrix is the library's.
    let state = 1997;
    const random = () => {
      state = (state * 48271) % 2147483647;
      return state / 2147483647;
    };
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const urls = Array.from({ length: 40 }, () => {
      const length = 3 + Math.floor(random() * 62);
      return `${system.url}/${Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join('')}`;
    });
    // Passed as source text: the test runner would rewrite a dynamic import() in a function it serialises.
    const inPage: string[][] = await page.evaluate(`(async (all) => {
      const { qrMatrix } = await import('/assets/qr.js');
      return Promise.all(all.map(async (url) => {
        const matrix = await qrMatrix(url);
        return Array.from({ length: matrix.size }, (_, r) =>
          Array.from({ length: matrix.size }, (_, c) => (matrix.isDark(r, c) ? '1' : '0')).join(''));
      }));
    })(${JSON.stringify(urls)})`);
    urls.forEach((url, index) => {
      const reference = qrcode(0, 'M');
      reference.addData(url);
      reference.make();
      const rows = Array.from({ length: reference.getModuleCount() }, (_, r) =>
        Array.from({ length: reference.getModuleCount() }, (_, c) => (reference.isDark(r, c) ? '1' : '0')).join(''),
      );
      expect(inPage[index], url).toEqual(rows);
    });
    await dialog.getByRole('button', { name: 'Close' }).click();
    expect(problems).toEqual([]);
  });

  it('R11.1 R11.2 R11.3 the stats window shows the chart, its table and the lists, and updates by itself', async () => {
    const link = await createLink({ url: `${destination.url}/stats`, alias: 'stats-demo' });
    const visit = (headers: Record<string, string>) =>
      fetch(link.shortUrl, { redirect: 'manual', headers }).then((response) => expect(response.status).toBe(301));
    const firefox = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
    await visit({
      'user-agent': firefox,
      referer: 'https://news.example.net/post/1',
      'cloudfront-viewer-country': 'DE',
    });
    await visit({ 'user-agent': firefox, 'cloudfront-viewer-country': 'DE' });
    await visit({ 'user-agent': 'curl/8.5.0' });

    await open(page);
    await page.getByRole('searchbox', { name: 'Search' }).fill('stats-demo');
    await row(page, 'stats-demo').getByRole('button', { name: 'Stats for stats-demo' }).click();
    const dialog = page.getByRole('dialog', { name: 'Stats for /stats-demo' });
    await expect.poll(() => dialog.locator('#stats-totals').textContent(), { timeout: 45_000 }).toBe('2 people1 bot');

    const chart = dialog.getByRole('img', { name: /Clicks per day from .+: 2 by people, 1 by bots/ });
    await expect(chart.locator('rect.people').count()).resolves.toBe(1);
    await expect(chart.locator('rect.bots').count()).resolves.toBe(1);
    const today = new Date().toISOString().slice(0, 10);
    const days = dialog.getByRole('table', { name: 'Clicks per day' });
    await expect(days.getByRole('row', { name: `${today} 2 1` }).count()).resolves.toBe(1);
    await expect(days.getByRole('row').count()).resolves.toBe(31);
    await expect(dialog.getByRole('table', { name: 'Referrers' }).textContent()).resolves.toMatch(
      /news\.example\.net\s*1\s*50%.*direct\s*1\s*50%|direct\s*1\s*50%.*news\.example\.net\s*1\s*50%/,
    );
    await expect(dialog.getByRole('table', { name: 'Countries' }).textContent()).resolves.toContain('DE (Germany)');
    await expect(dialog.getByRole('table', { name: 'Devices' }).textContent()).resolves.toContain('desktop');
    await expect(dialog.getByRole('table', { name: 'Browsers' }).textContent()).resolves.toContain('Firefox');

    await dialog.getByRole('button', { name: 'Show the numbers' }).click();
    await expect(days.isVisible()).resolves.toBe(true);
    await page.screenshot({ path: path.join(RESULTS_DIR, 'web-page-stats-desktop.png') });
    await page.setViewportSize({ width: 375, height: 812 });
    const overflow = await page.evaluate(() => {
      const open = document.querySelector('dialog[open]') as HTMLElement;
      return open.scrollWidth - open.clientWidth;
    });
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: path.join(RESULTS_DIR, 'web-page-stats-phone.png') });
    await page.setViewportSize({ width: 1280, height: 900 });

    // A new visit shows up without touching the page.
    await visit({ 'user-agent': firefox });
    await expect.poll(() => dialog.locator('#stats-totals').textContent(), { timeout: 45_000 }).toBe('3 people1 bot');
    await dialog.getByRole('button', { name: 'Close' }).click();
    expect(problems).toEqual([]);
  });

  it('R12.1 R12.2 R12.3 imports a Bitly export: dry-run report first, nothing written until confirmed, no duplicates on re-import', async () => {
    const someoneElse = await createUser(cognito());
    await createLink({ url: `${destination.url}/theirs`, alias: 'taken-alias' }, someoneElse.accessToken);
    await createLink({ url: `${destination.url}/already-mine` });
    const file = [
      'Title,Link,Custom Link,Destination URL,Date Created',
      `Home,https://bit.ly/3xYz,https://bit.ly/retro-home,${destination.url}/home,2024-01-02`,
      `News,https://bit.ly/4abc,,${destination.url}/news,2024-01-03`,
      'Bad,https://bit.ly/5def,,javascript:alert(1),2024-01-04',
      `Mine,https://bit.ly/6ghi,,${destination.url}/already-mine,2024-01-05`,
      `Theirs,https://bit.ly/7jkl,https://bit.ly/taken-alias,${destination.url}/mine-now,2024-01-06`,
    ].join('\n');
    const count = async () => (await listAll()).length;
    await open(page);
    const before = await count();

    const choose = () =>
      page
        .getByLabel('Import links from a file')
        .setInputFiles({ name: 'bitly.csv', mimeType: 'text/csv', buffer: Buffer.from(file) });
    await choose();
    const report = page.getByRole('region', { name: 'Dry run: what the import would do' });
    await report.waitFor({ state: 'visible' });
    await expect(report.locator('#import-summary').textContent()).resolves.toContain('a Bitly export with 5 rows');
    const outcome = (rowNumber: number) =>
      report
        .locator('#import-rows tr')
        .nth(rowNumber - 1)
        .locator('.outcome')
        .textContent();
    await expect(outcome(1)).resolves.toBe('Will be created');
    await expect(outcome(2)).resolves.toBe('Will be created');
    await expect(outcome(3)).resolves.toMatch(/^Not valid: /);
    await expect(outcome(4)).resolves.toMatch(/^Already in your links as \//);
    await expect(outcome(5)).resolves.toMatch(/^Alias taken/);
    expect(await count()).toBe(before);
    await page.screenshot({ path: path.join(RESULTS_DIR, 'web-page-import.png'), fullPage: true });
    await page.setViewportSize({ width: 375, height: 812 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await report.screenshot({ path: path.join(RESULTS_DIR, 'web-page-import-phone.png') });
    await page.setViewportSize({ width: 1280, height: 900 });

    await page.getByRole('button', { name: 'Import 2 links' }).click();
    const done = page.getByRole('region', { name: 'Import report' });
    await done.waitFor({ state: 'visible' });
    await expect(done.locator('#import-summary').textContent()).resolves.toContain('2 links created');
    expect(await count()).toBe(before + 2);
    await expect.poll(() => row(page, 'retro-home').count()).toBe(1);

    await choose();
    await report.waitFor({ state: 'visible' });
    await expect(page.getByRole('button', { name: /^Import \d+ link/ }).isHidden()).resolves.toBe(true);
    await expect(outcome(1)).resolves.toBe('Already in your links as /retro-home');
    await expect(outcome(2)).resolves.toMatch(/^Already in your links as \//);
    await page.getByRole('button', { name: 'Close' }).click();
    expect(await count()).toBe(before + 2);
  });

  it('R12.4 exports every link with its counts as CSV and JSON', async () => {
    await open(page);
    await expect.poll(() => page.locator('#links-summary').textContent()).not.toContain('loading');
    const json = await downloaded(page, 'Download JSON');
    expect(json.name).toMatch(/^short-links-\d{4}-\d{2}-\d{2}\.json$/);
    const exported = JSON.parse(json.body.toString('utf8')) as { link: string; count: number; bots: number }[];
    const listed = await listAll();
    expect(exported.map((link) => link.link).sort()).toEqual(listed.map((link) => link.link).sort());
    expect(exported.every((link) => Number.isInteger(link.count) && Number.isInteger(link.bots))).toBe(true);

    const csv = await downloaded(page, 'Download CSV');
    const lines = csv.body.toString('utf8').trim().split(/\r?\n/);
    expect(lines[0]).toBe('link,url,shortUrl,created,expiresAt,count,bots');
    expect(lines).toHaveLength(listed.length + 1);
  });

  it('R8.1 R8.2 R8.3 an operator disables and re-enables any link from the page; its owner sees it disabled', async () => {
    await createLink({ url: `${destination.url}/suspicious`, alias: 'take-me-down' });
    await expect(page.locator('#operator-window').isHidden()).resolves.toBe(true);
    const { endpoint, userPoolId } = system.pageConfig.cognito;
    const operator = await createUser(cognito());
    await callCognito(endpoint, 'CreateGroup', { UserPoolId: userPoolId, GroupName: 'operators' }).catch(
      (error: unknown) => {
        if (!(error instanceof CognitoApiError && error.type.endsWith('GroupExistsException'))) throw error;
      },
    );
    await callCognito(endpoint, 'AdminAddUserToGroup', {
      UserPoolId: userPoolId,
      Username: operator.email,
      GroupName: 'operators',
    });
    const desk = await browser.newContext();
    try {
      const tab = await desk.newPage();
      await open(tab);
      await signIn(tab, operator);
      const form = tab.getByRole('form', { name: 'Operator: take a link down' });
      await form.getByLabel('Short code').fill('take-me-down');
      await form.getByLabel('Reason').fill('phishing report #12');
      await form.getByRole('button', { name: 'Disable link' }).click();
      await expect.poll(() => form.locator('[data-notice]').textContent()).toContain('is disabled');
      expect((await fetch(`${system.url}/take-me-down`, { redirect: 'manual' })).status).toBe(410);

      await open(page);
      await page.getByRole('searchbox', { name: 'Search' }).fill('take-me-down');
      await expect(row(page, 'take-me-down').locator('.state').textContent()).resolves.toBe(
        'Disabled by an operator: phishing report #12',
      );
      await row(page, 'take-me-down').getByRole('button', { name: 'Edit take-me-down' }).click();
      const dialog = page.getByRole('dialog', { name: 'Edit link' });
      await dialog.getByLabel('Destination URL').fill(`${destination.url}/innocent`);
      await dialog.getByRole('button', { name: 'Save changes' }).click();
      await expect.poll(() => dialog.locator('[data-error-for="form"]').textContent()).not.toBe('');
      await dialog.getByRole('button', { name: 'Cancel' }).click();

      await form.getByLabel('Reason').fill('report was mistaken');
      await form.getByRole('button', { name: 'Enable link' }).click();
      await expect.poll(() => form.locator('[data-notice]').textContent()).toContain('works again');
      expect((await fetch(`${system.url}/take-me-down`, { redirect: 'manual' })).status).toBe(301);
    } finally {
      await desk.close();
    }
  });

  it('R3.5 backs off its polling on 429 and 503, never sooner than Retry-After', async () => {
    const timed = await browser.newContext();
    try {
      const tab = await timed.newPage();
      await tab.clock.install();
      await open(tab);
      await signIn(tab, user);
      const nextRefresh = async () => Number(await tab.locator('#refresh-note').getAttribute('data-next-refresh'));
      await expect.poll(nextRefresh).toBeGreaterThan(0);
      const delay = async () => (await nextRefresh()) - (await tab.evaluate(() => Date.now()));
      /** The next refresh is planned `ms` after the last one (within the millisecond the clock ran on). */
      const expectDelay = (ms: number) =>
        expect
          .poll(async () => Math.abs((await delay()) - ms) <= 1, { message: `next refresh in ${ms} ms` })
          .toBe(true);
      // The service is overloaded from the next refresh on (routed before the clock reaches it).
      await timed.route(`${system.url}/links?limit=100*`, (route) =>
        route.fulfill({
          status: 503,
          headers: { 'retry-after': '90' },
          contentType: 'application/json',
          body: '{"error":"busy"}',
        }),
      );
      await tab.clock.pauseAt(await nextRefresh());
      await tab.clock.runFor(1);
      await expectDelay(90_000);
      await timed.unroute(`${system.url}/links?limit=100*`);
      await timed.route(`${system.url}/links?limit=100*`, (route) =>
        route.fulfill({
          status: 429,
          headers: { 'retry-after': '5' },
          contentType: 'application/json',
          body: '{"error":"slow down"}',
        }),
      );
      await tab.clock.runFor(90_000);
      // Second failure in a row: 12 s doubled twice beats the short Retry-After.
      await expectDelay(48_000);
      await timed.unroute(`${system.url}/links?limit=100*`);
      await tab.clock.runFor(48_000);
      await expectDelay(12_000);
    } finally {
      await timed.close();
    }
  });

  it('R4.1 R4.5 screenshots of the signed-in page with the new tools at desktop and phone width', async () => {
    await open(page);
    await page.getByRole('button', { name: 'Stop animations' }).click();
    await page.screenshot({ path: path.join(RESULTS_DIR, 'web-page-manage-desktop.png'), fullPage: true });
    await page.setViewportSize({ width: 375, height: 812 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: path.join(RESULTS_DIR, 'web-page-manage-phone.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
    expect(problems).toEqual([]);
  });
});

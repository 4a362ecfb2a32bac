// The `shorten` client run in-process against a fake shortener and a fake Cognito: sessions,
// token renewal, paging, chunked imports, exit statuses and output modes.
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../lib/cli/commands.ts';
import { EXIT } from '../../../lib/cli/errors.ts';
import type { Io } from '../../../lib/cli/io.ts';
import { main } from '../../../lib/cli/main.ts';

const BASE = 'https://sho.rt';
const COGNITO = 'https://cognito-idp.eu-west-1.amazonaws.com/';
const NOW = new Date('2026-11-29T12:00:00.000Z');

/** An unsigned JWT: the client reads `exp`, only the API checks tokens. */
const jwt = (claims: Record<string, unknown>) => `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;

interface Call {
  method: string;
  url: string;
  body?: unknown;
  target?: string;
  authorization?: string;
}

/** A fake deployment: /config.json, Cognito's JSON protocol and the links API with N links. */
function fakeDeployment(options: { links?: number; password?: string } = {}) {
  const calls: Call[] = [];
  let generation = 0;
  const state = {
    validToken: '',
    refreshAllowed: true,
    answer: undefined as undefined | ((call: Call) => Response | undefined),
  };
  const issue = (expiresInS: number) => {
    generation++;
    state.validToken = jwt({ exp: Math.floor(NOW.getTime() / 1000) + expiresInS, gen: generation });
    return { AccessToken: state.validToken, IdToken: jwt({ gen: generation }), RefreshToken: `refresh-${generation}` };
  };
  const links = Array.from({ length: options.links ?? 0 }, (_, i) => ({
    link: `code${i}`,
    url: `https://e.example/${i}`,
    shortUrl: `${BASE}/code${i}`,
    created: NOW.toISOString(),
    count: i,
    bots: 0,
  }));
  const json = (status: number, body: unknown) =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  const fetchImpl = (async (input: string | URL | Request, init: RequestInit = {}) => {
    const url = String(input);
    const headers = new Headers(init.headers);
    const call: Call = {
      method: init.method ?? 'GET',
      url,
      body: init.body ? JSON.parse(String(init.body)) : undefined,
      target: headers.get('x-amz-target') ?? undefined,
      authorization: headers.get('authorization') ?? undefined,
    };
    calls.push(call);
    const special = state.answer?.(call);
    if (special) return special;
    if (url === `${BASE}/config.json`)
      return json(200, { region: 'eu-west-1', cognito: { endpoint: COGNITO, clientId: 'client-1' } });
    if (url === COGNITO) {
      const body = call.body as { AuthFlow?: string; AuthParameters?: Record<string, string> };
      if (call.target?.endsWith('RevokeToken')) return json(200, {});
      if (body.AuthFlow === 'USER_PASSWORD_AUTH') {
        if (body.AuthParameters?.PASSWORD !== (options.password ?? 'pw')) {
          return json(400, { __type: 'NotAuthorizedException', message: 'Incorrect username or password.' });
        }
        return json(200, { AuthenticationResult: issue(3600) });
      }
      if (body.AuthFlow === 'REFRESH_TOKEN_AUTH') {
        if (!state.refreshAllowed)
          return json(400, { __type: 'NotAuthorizedException', message: 'Refresh Token has expired' });
        const { AccessToken, IdToken } = issue(3600);
        return json(200, { AuthenticationResult: { AccessToken, IdToken } });
      }
    }
    if (call.authorization !== `Bearer ${state.validToken}`) return json(401, { error: 'unauthorized' });
    const { pathname, searchParams } = new URL(url);
    if (pathname === '/links' && call.method === 'GET') {
      const limit = Number(searchParams.get('limit'));
      const start = Number(searchParams.get('cursor') ?? 0);
      const items = links.slice(start, start + limit);
      const next = start + limit < links.length ? { nextCursor: String(start + limit) } : {};
      return json(200, { items, ...next });
    }
    if (pathname === '/links/bulk') {
      const { links: rows } = call.body as { links: { url: string }[] };
      return json(200, {
        results: rows.map((row, index) =>
          row.url.startsWith('https:')
            ? {
                index,
                status: 201,
                link: { link: `n${index}`, url: row.url, shortUrl: '', created: '', count: 0, bots: 0 },
              }
            : { index, status: 400, error: 'url must be an absolute http or https URL' },
        ),
      });
    }
    if (pathname === '/links/missing') return json(404, { error: 'not found' });
    if (pathname === '/links/theirs/disable') return json(403, { error: 'only operators can disable links' });
    if (pathname.startsWith('/links/') && pathname.endsWith('/disable'))
      return json(200, { ...links[0], disabled: true });
    if (pathname.startsWith('/links/') && pathname.endsWith('/enable')) return json(200, links[0]);
    return json(404, { error: 'not found' });
  }) as typeof fetch;
  return {
    calls,
    state,
    fetch: fetchImpl,
    issue,
    apiCalls: () => calls.filter((c) => c.url.startsWith(`${BASE}/links`)),
  };
}

let home: string;
beforeEach(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'shorten-unit-'));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

async function run(
  argv: string[],
  deployment: ReturnType<typeof fakeDeployment>,
  options: { stdin?: string; env?: Record<string, string> } = {},
) {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    stdin: Readable.from(options.stdin === undefined ? [] : [Buffer.from(options.stdin)]),
    env: { XDG_CONFIG_HOME: path.join(home, 'config'), HOME: home, ...options.env },
    fetch: deployment.fetch,
    now: () => NOW,
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

async function loggedIn(deployment = fakeDeployment()) {
  const result = await run(
    ['login', '--url', `${BASE}/`, '--email', 'me@example.com', '--password-stdin'],
    deployment,
    {
      stdin: 'pw\n',
    },
  );
  expect(result.code, result.stderr).toBe(EXIT.ok);
  return deployment;
}

const credentialsFile = () => path.join(home, 'config', 'shorten', 'credentials.json');

describe('cli', () => {
  describe('R3.8 help', () => {
    it('R3.8 --help lists every command and exits 0; no command at all is a usage error', async () => {
      const help = await run(['--help'], fakeDeployment());
      expect(help.code).toBe(EXIT.ok);
      for (const name of Object.keys(COMMANDS)) expect(help.stdout).toContain(`  ${name} `);
      expect(help.stdout).toMatch(/Exit status: 0 ok, 1 usage error, 2 refused/);
      expect((await run([], fakeDeployment())).code).toBe(EXIT.usage);
    });

    it('R3.8 --version prints the package version and calls nothing', async () => {
      const pkg = JSON.parse(await readFile(new URL('../../../package.json', import.meta.url), 'utf8')) as {
        version: string;
      };
      for (const flag of ['--version', '-V']) {
        const deployment = fakeDeployment();
        const result = await run([flag], deployment);
        expect(result.code).toBe(EXIT.ok);
        expect(result.stdout).toBe(`shorten ${pkg.version}\n`);
        expect(deployment.calls).toEqual([]);
      }
    });

    it('R3.8 every command answers --help (and help <command>) with its usage and options, touching nothing', async () => {
      for (const name of Object.keys(COMMANDS)) {
        const deployment = fakeDeployment();
        const result = await run([name, '--help'], deployment);
        expect(result.code, name).toBe(EXIT.ok);
        expect(result.stdout).toMatch(new RegExp(`^Usage: shorten ${name}`));
        expect(result.stdout).toContain('--json');
        expect(deployment.calls).toEqual([]);
        expect((await run(['help', name], deployment)).stdout).toBe(result.stdout);
      }
    });
  });

  describe('R2 sessions', () => {
    it("R2.1 R2.2 logs in through the deployment's /config.json and keeps the tokens owner-only in the config folder", async () => {
      const deployment = await loggedIn();
      const signIn = deployment.calls.find((call) => call.url === COGNITO);
      expect(signIn?.target).toBe('AWSCognitoIdentityProviderService.InitiateAuth');
      expect(signIn?.body).toEqual({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: 'client-1',
        AuthParameters: { USERNAME: 'me@example.com', PASSWORD: 'pw' },
      });
      expect((await stat(credentialsFile())).mode & 0o777).toBe(0o600);
      expect((await stat(path.dirname(credentialsFile()))).mode & 0o777).toBe(0o700);
      const saved = JSON.parse(await readFile(credentialsFile(), 'utf8'));
      expect(saved.current).toBe(BASE);
      expect(saved.sessions[BASE]).toMatchObject({ email: 'me@example.com', refreshToken: 'refresh-1' });
    });

    it('R2.7 takes the password from $SHORTEN_PASSWORD; without a terminal or a password it is a usage error', async () => {
      const deployment = fakeDeployment();
      const env = { SHORTEN_PASSWORD: 'pw' };
      expect((await run(['login', '--url', BASE, '--email', 'me@example.com'], deployment, { env })).code).toBe(
        EXIT.ok,
      );
      const missing = await run(['login', '--url', BASE, '--email', 'me@example.com'], deployment);
      expect(missing.code).toBe(EXIT.usage);
      expect(missing.stderr).toMatch(/--password-stdin/);
    });

    it('R2.8 a wrong password exits 3 and saves nothing', async () => {
      const deployment = fakeDeployment({ password: 'right' });
      const result = await run(['login', '--url', BASE, '--email', 'me@example.com', '--password-stdin'], deployment, {
        stdin: 'wrong',
      });
      expect(result.code).toBe(EXIT.auth);
      expect(result.stderr).toMatch(/wrong e-mail or password/);
      await expect(stat(credentialsFile())).rejects.toThrow();
    });

    it('R2.3 renews an access token about to expire with the refresh token before calling the API, and saves it', async () => {
      const deployment = await loggedIn();
      // The session's access token now expires in 30 s: under the one-minute margin.
      const saved = JSON.parse(await readFile(credentialsFile(), 'utf8'));
      saved.sessions[BASE].accessToken = jwt({ exp: Math.floor(NOW.getTime() / 1000) + 30 });
      await import('node:fs/promises').then((fs) => fs.writeFile(credentialsFile(), JSON.stringify(saved)));
      const result = await run(['list', '--json'], deployment);
      expect(result.code, result.stderr).toBe(EXIT.ok);
      const refresh = deployment.calls.find(
        (call) => (call.body as { AuthFlow?: string })?.AuthFlow === 'REFRESH_TOKEN_AUTH',
      );
      expect(refresh?.body).toMatchObject({ ClientId: 'client-1', AuthParameters: { REFRESH_TOKEN: 'refresh-1' } });
      expect(deployment.apiCalls().map((call) => call.authorization)).toEqual([
        `Bearer ${deployment.state.validToken}`,
      ]);
      const after = JSON.parse(await readFile(credentialsFile(), 'utf8'));
      expect(after.sessions[BASE].accessToken).toBe(deployment.state.validToken);
      expect(after.sessions[BASE].refreshToken).toBe('refresh-1');
    });

    it('R2.4 on a 401 renews once and retries; when renewal is refused too, exits 3 asking to log in', async () => {
      const deployment = await loggedIn();
      deployment.issue(3600); // the API now wants a token the client does not have yet
      expect((await run(['list'], deployment)).code).toBe(EXIT.ok);
      expect(deployment.apiCalls().map((call) => call.authorization?.length)).toHaveLength(2);

      deployment.issue(3600);
      deployment.state.refreshAllowed = false;
      const ended = await run(['list'], deployment);
      expect(ended.code).toBe(EXIT.auth);
      expect(ended.stderr).toMatch(/session at https:\/\/sho\.rt has ended: run `shorten login/);
    });

    it('R2.5 uses --url, then $SHORTEN_URL, then the last login; with none, exits 3', async () => {
      const none = await run(['list'], fakeDeployment());
      expect(none.code).toBe(EXIT.auth);
      expect(none.stderr).toMatch(/not logged in/);
      const deployment = await loggedIn();
      expect((await run(['list'], deployment)).code).toBe(EXIT.ok);
      const other = await run(['list'], deployment, { env: { SHORTEN_URL: 'https://other.example' } });
      expect(other.code).toBe(EXIT.auth);
      expect(other.stderr).toMatch(/not logged in to https:\/\/other\.example/);
      expect((await run(['list', '--url', 'https://other.example/'], deployment)).stderr).toMatch(/other\.example/);
    });

    it('R2.6 logout forgets the session and revokes its refresh token', async () => {
      const deployment = await loggedIn();
      const result = await run(['logout'], deployment);
      expect(result.code).toBe(EXIT.ok);
      expect(deployment.calls.find((call) => call.target?.endsWith('RevokeToken'))?.body).toEqual({
        ClientId: 'client-1',
        Token: 'refresh-1',
      });
      await expect(stat(credentialsFile())).rejects.toThrow();
      expect((await run(['list', '--url', BASE], deployment)).code).toBe(EXIT.auth);
    });
  });

  describe('R3 R4 commands, output and exit statuses', () => {
    it('R3.2 list follows nextCursor through every page; --limit stops early', async () => {
      const deployment = await loggedIn(fakeDeployment({ links: 250 }));
      const all = await run(['list', '--json'], deployment);
      expect(JSON.parse(all.stdout)).toHaveLength(250);
      expect(deployment.apiCalls().map((call) => new URL(call.url).search)).toEqual([
        '?limit=100',
        '?limit=100&cursor=100',
        '?limit=100&cursor=200',
      ]);
      const few = await run(['list', '--limit', '5', '--json'], deployment);
      expect(JSON.parse(few.stdout).map((link: { link: string }) => link.link)).toEqual([
        'code0',
        'code1',
        'code2',
        'code3',
        'code4',
      ]);
    });

    it("R4.3 exits 2 on a 4xx, 4 on a 5xx or an unreachable service, with the API's message", async () => {
      const deployment = await loggedIn();
      const missing = await run(['get', 'missing'], deployment);
      expect([missing.code, missing.stderr]).toEqual([EXIT.refused, 'shorten: not found (HTTP 404)\n']);

      deployment.state.answer = (call) =>
        call.url.startsWith(`${BASE}/links`)
          ? new Response('{"error":"overloaded"}', { status: 503, headers: { 'retry-after': '2' } })
          : undefined;
      const busy = await run(['list'], deployment);
      expect(busy.code).toBe(EXIT.unavailable);
      expect(busy.stderr).toMatch(/overloaded \(HTTP 503, retry after 2 s\)/);

      deployment.state.answer = (call) => {
        if (call.url.startsWith(BASE)) throw new TypeError('fetch failed');
        return undefined;
      };
      const down = await run(['list'], deployment);
      expect(down.code).toBe(EXIT.unavailable);
      expect(down.stderr).toMatch(/cannot reach https:\/\/sho\.rt: fetch failed/);
    });

    it('R4.1 with --json, failures are one JSON object on stderr and stdout stays empty', async () => {
      const deployment = await loggedIn();
      const result = await run(['get', 'missing', '--json'], deployment);
      expect(result.stdout).toBe('');
      expect(JSON.parse(result.stderr)).toEqual({ error: 'not found (HTTP 404)', status: 404, exitCode: EXIT.refused });
    });

    it('R4.3 R3.4 a command line that cannot work is a usage error (exit 1) and calls nothing', async () => {
      const deployment = await loggedIn();
      const before = deployment.calls.length;
      for (const argv of [
        ['frob'],
        ['create'],
        ['get', 'a', 'b'],
        ['edit', 'abc'],
        ['edit', 'abc', '--expires', '1d', '--no-expiry'],
        ['list', '--limit', '0'],
        ['disable', 'abc'],
        ['enable', 'abc', '--reason', ' '],
        ['export', '--format', 'xml'],
      ]) {
        const result = await run(argv, deployment);
        expect(result.code, argv.join(' ')).toBe(EXIT.usage);
        expect(result.stderr).toMatch(/^shorten: /);
      }
      expect(deployment.calls.length).toBe(before);
    });

    it("R6.1 R6.2 disable sends the operator's reason; enable puts the link back", async () => {
      const deployment = await loggedIn(fakeDeployment({ links: 1 }));
      expect((await run(['disable', 'code0', '--reason', 'phishing report #12'], deployment)).code).toBe(EXIT.ok);
      expect(deployment.apiCalls().at(-1)).toMatchObject({ method: 'POST', body: { reason: 'phishing report #12' } });
      expect((await run(['enable', 'code0', '--reason', 'report was wrong'], deployment)).code).toBe(EXIT.ok);
      expect(deployment.apiCalls().at(-1)).toMatchObject({
        url: `${BASE}/links/code0/enable`,
        body: { reason: 'report was wrong' },
      });
    });

    it('R6.3 a user who is not an operator gets the API refusal and exit 2', async () => {
      const deployment = await loggedIn();
      const result = await run(['disable', 'theirs', '--reason', 'spam'], deployment);
      expect(result.code).toBe(EXIT.refused);
      expect(result.stderr).toBe('shorten: only operators can disable links (HTTP 403)\n');
    });
  });

  describe('R5 import', () => {
    it('R5.2 R5.1 sends at most 1,000 rows per bulk request, with dryRun only for --dry-run', async () => {
      const deployment = await loggedIn();
      const csv = ['url', ...Array.from({ length: 2500 }, (_, i) => `https://n.example/${i}`)].join('\n');
      const dry = await run(['import', '-', '--dry-run', '--json'], deployment, { stdin: csv });
      expect(dry.code, dry.stderr).toBe(EXIT.ok);
      const bulks = deployment.apiCalls().filter((call) => call.url.endsWith('/links/bulk'));
      expect(bulks.map((call) => (call.body as { links: unknown[] }).links.length)).toEqual([1000, 1000, 500]);
      expect(bulks.every((call) => (call.body as { dryRun?: boolean }).dryRun === true)).toBe(true);
      const report = JSON.parse(dry.stdout);
      expect(report).toMatchObject({ dryRun: true, source: 'shortener', kind: 'csv', summary: { created: 2500 } });
      expect(report.results[2499]).toMatchObject({
        index: 2499,
        status: 201,
        input: { url: 'https://n.example/2499' },
      });

      await run(['import', '-'], deployment, { stdin: csv });
      const real = deployment
        .apiCalls()
        .filter((call) => call.url.endsWith('/links/bulk'))
        .slice(3);
      expect(real.map((call) => 'dryRun' in (call.body as object))).toEqual([false, false, false]);
    });

    it('R5.4 exits 2 when any row is refused, and 1 for a file it cannot read', async () => {
      const deployment = await loggedIn();
      const refused = await run(['import', '-'], deployment, {
        stdin: 'url\nhttps://ok.example/\nftp://no.example/\n',
      });
      expect(refused.code).toBe(EXIT.refused);
      expect(refused.stdout).toMatch(/1 created, 1 invalid\.\n$/);
      const unknown = await run(['import', '-'], deployment, { stdin: 'name,email\nA,a@example.com\n' });
      expect(unknown.code).toBe(EXIT.usage);
      expect(unknown.stderr).toMatch(/Unknown CSV columns/);
      expect((await run(['import', path.join(home, 'nope.csv')], deployment)).code).toBe(EXIT.usage);
    });
  });
});

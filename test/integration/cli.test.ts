// The `shorten` client driven as a user would: a child process (`node bin/shorten.js`) against the
// local system on a free port, with a user signed up through cognito-local, and `--json` parsed.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ExportedLink, type ImportResult, parseCsv } from '../../frontend/assets/link-files.js';
import { OPERATORS_GROUP } from '../../lambdas/declarations/identity.ts';
import { CognitoApiError, callCognito } from '../../lib/local/cognito-api.ts';
import { createUser, type TestUser } from '../support/cognito.ts';
import { startTestSystem, type TestSystem, waitFor } from '../support/local-system.ts';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const CLIENT = path.join(REPO, 'bin/shorten.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe('cli', () => {
  let system: TestSystem;
  let user: TestUser;
  let home: string;

  beforeAll(async () => {
    system = await startTestSystem();
    user = await createUser(system.pageConfig.cognito);
    home = await mkdtemp(path.join(os.tmpdir(), 'shorten-e2e-'));
  });
  afterAll(async () => {
    await system?.dispose();
    if (home) await rm(home, { recursive: true, force: true });
  });

  /** Runs the client to its exit, as a shell would, with its own config folder (one per person). */
  function shorten(args: string[], stdin = '', configFolder = 'config'): Promise<Run> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [CLIENT, ...args], {
        cwd: home,
        env: { ...process.env, XDG_CONFIG_HOME: path.join(home, configFolder), SHORTEN_URL: '', SHORTEN_PASSWORD: '' },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
      });
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      child.on('error', reject);
      child.on('exit', (code) => resolve({ code, stdout, stderr }));
      child.stdin.end(stdin);
    });
  }

  async function ok(args: string[], stdin?: string): Promise<string> {
    const run = await shorten(args, stdin);
    expect(run.code, `shorten ${args.join(' ')}\n${run.stderr}`).toBe(0);
    return run.stdout;
  }

  const json = async <T>(args: string[], stdin?: string) => JSON.parse(await ok([...args, '--json'], stdin)) as T;

  it('R2.1 R2.2 logs in with e-mail and password against the base URL, keeping tokens owner-only', async () => {
    const out = await ok(
      ['login', '--url', system.url, '--email', user.email, '--password-stdin'],
      `${user.password}\n`,
    );
    expect(out).toBe(`Logged in to ${system.url} as ${user.email}.\n`);
    const file = path.join(home, 'config', 'shorten', 'credentials.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(path.dirname(file))).mode & 0o777).toBe(0o700);

    const wrong = await shorten(['login', '--url', system.url, '--email', user.email, '--password-stdin'], 'nope\n');
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).toMatch(/wrong e-mail or password/);
  });

  let random: ExportedLink;
  let aliased: ExportedLink;

  it('R3.1 creates links and prints the short URL, or the link with --json', async () => {
    const printed = (await ok(['create', 'https://example.com/cli/plain'])).trim();
    expect(printed).toMatch(new RegExp(`^${system.url}/[A-Za-z0-9]{8}$`));

    random = await json<ExportedLink>(['create', 'https://example.com/cli/random']);
    expect(random).toMatchObject({ url: 'https://example.com/cli/random', count: 0 });
    aliased = await json<ExportedLink>([
      'create',
      'https://example.com/cli/launch',
      '--alias',
      'cli-launch',
      '--expires',
      '30d',
    ]);
    expect(aliased).toMatchObject({ link: 'cli-launch', shortUrl: `${system.url}/cli-launch` });
    expect(Date.parse(aliased.expiresAt ?? '') - Date.now()).toBeGreaterThan(29 * 86_400_000);

    const taken = await shorten(['create', 'https://example.com/other', '--alias', 'cli-launch', '--json']);
    expect(taken.code).toBe(2);
    expect(JSON.parse(taken.stderr)).toMatchObject({ status: 409 });
  });

  it('R3.2 lists the links, newest first, as JSON and as a table', async () => {
    const links = await json<ExportedLink[]>(['list']);
    expect(links.map((link) => link.link).slice(0, 2)).toEqual(['cli-launch', random.link]);
    const table = await ok(['list']);
    expect(table.split('\n')[0]).toMatch(/^CODE\s+PEOPLE\s+BOTS\s+CREATED\s+EXPIRES\s+STATUS\s+URL$/);
    expect(table).toMatch(
      /cli-launch\s+0\s+0\s+\d{4}-\d{2}-\d{2}\s+\S+ \S+\s+active\s+https:\/\/example\.com\/cli\/launch/,
    );
  });

  it('R3.4 edits where a link goes and removes its expiry', async () => {
    const edited = await json<ExportedLink>([
      'edit',
      'cli-launch',
      '--to',
      'https://example.com/cli/launched',
      '--no-expiry',
    ]);
    expect(edited).toMatchObject({ link: 'cli-launch', url: 'https://example.com/cli/launched' });
    expect(edited.expiresAt).toBeUndefined();
    expect(await json<ExportedLink>(['get', 'cli-launch'])).toMatchObject({ url: 'https://example.com/cli/launched' });
  });

  it('R3.6 shows the stats of a visited link', async () => {
    const visit = await fetch(`${system.url}/cli-launch`, {
      redirect: 'manual',
      headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0' },
    });
    expect(visit.status).toBe(301);
    const stats = await waitFor(
      async () => {
        const current = await json<{ count: number; days: { count: number }[]; browsers: { name: string }[] }>([
          'stats',
          'cli-launch',
        ]);
        return current.count >= 1 ? current : undefined;
      },
      { timeoutMs: 15_000, what: 'the visit in stats' },
    );
    expect(stats.days).toHaveLength(30);
    expect(stats.browsers[0]?.name).toBe('Firefox');
    expect(await ok(['stats', 'cli-launch'])).toMatch(/^cli-launch: 1 visits by people, 0 by bots/);
  });

  it('R5.5 exports every link with counts as CSV and JSON', async () => {
    const csv = parseCsv(await ok(['export']));
    expect(csv[0]).toEqual(['link', 'url', 'shortUrl', 'created', 'expiresAt', 'count', 'bots']);
    expect(csv.slice(1).map((row) => row[0])).toEqual(expect.arrayContaining(['cli-launch', random.link]));
    const exported = JSON.parse(await ok(['export', '--format', 'json'])) as ExportedLink[];
    expect(exported).toEqual(await json<ExportedLink[]>(['list']));
    const file = path.join(home, 'links.csv');
    await ok(['export', '--output', file]);
    expect(parseCsv(await import('node:fs/promises').then((fs) => fs.readFile(file, 'utf8')))).toEqual(csv);
  });

  const BITLY = [
    'Title,Link,Custom Link,Destination URL,Date Created,Tags,Engagements',
    'Launch,bit.ly/3xYzAbC,bit.ly/cli-launch,https://example.com/cli/launched,2024-03-01 10:00:00,,4',
    'Blog,bit.ly/4qWeRtY,bit.ly/cli-blog,https://example.com/cli/blog,2024-03-02 11:00:00,,0',
    'Docs,bit.ly/5zXcVbN,,https://example.com/cli/docs,2024-03-03 12:00:00,,1',
    'Bad,bit.ly/6aSdFgH,,javascript:alert(1),2024-03-04 13:00:00,,0',
  ].join('\r\n');

  interface Report {
    dryRun: boolean;
    source: string;
    results: ImportResult[];
  }

  it('R5.1 imports a Bitly export with a dry run first: a per-row report, nothing written', async () => {
    const file = path.join(home, 'bitly.csv');
    await writeFile(file, BITLY);
    const before = await json<ExportedLink[]>(['list']);
    const run = await shorten(['import', file, '--dry-run', '--json']);
    const report = JSON.parse(run.stdout) as Report;
    expect(report).toMatchObject({ dryRun: true, source: 'bitly' });
    expect(report.results.map(({ index, status, outcome }) => ({ index, status, outcome }))).toEqual([
      { index: 0, status: 200, outcome: 'exists' },
      { index: 1, status: 201, outcome: 'created' },
      { index: 2, status: 201, outcome: 'created' },
      { index: 3, status: 400, outcome: 'invalid' },
    ]);
    expect(run.code).toBe(2); // one row is refused
    expect(await json<ExportedLink[]>(['list'])).toEqual(before);

    const table = await shorten(['import', file, '--dry-run']);
    expect(table.stdout).toMatch(/Dry run, nothing written: 2 would be created, 1 already there, 1 invalid\.\n$/);
  });

  it('R5.2 R5.3 imports the file for real, and importing it again creates nothing', async () => {
    const file = path.join(home, 'bitly.csv');
    const first = JSON.parse((await shorten(['import', file, '--json'])).stdout) as Report;
    expect(first.results.map((entry) => entry.outcome)).toEqual(['exists', 'created', 'created', 'invalid']);
    expect(first.results[1]?.link).toMatchObject({ link: 'cli-blog', url: 'https://example.com/cli/blog' });
    const after = await json<ExportedLink[]>(['list']);

    const again = JSON.parse((await shorten(['import', file, '--json'])).stdout) as Report;
    expect(again.results.map((entry) => entry.outcome)).toEqual(['exists', 'exists', 'exists', 'invalid']);
    expect(await json<ExportedLink[]>(['list'])).toEqual(after);
  });

  it('R3.5 R4.3 deletes a link; afterwards it is not found (exit 2)', async () => {
    expect(await ok(['delete', 'cli-blog'])).toBe('deleted cli-blog\n');
    const gone = await shorten(['get', 'cli-blog']);
    expect(gone.code).toBe(2);
    expect(gone.stderr).toMatch(/HTTP 404/);
  });

  it('R6.1 R6.2 R6.3 an operator takes a link down and puts it back; its owner and other users cannot', async () => {
    const { endpoint, userPoolId } = system.pageConfig.cognito;
    const operator = await createUser(system.pageConfig.cognito);
    await callCognito(endpoint, 'CreateGroup', { UserPoolId: userPoolId, GroupName: OPERATORS_GROUP }).catch(
      (error: unknown) => {
        if (!(error instanceof CognitoApiError && error.type.endsWith('GroupExistsException'))) throw error;
      },
    );
    await callCognito(endpoint, 'AdminAddUserToGroup', {
      UserPoolId: userPoolId,
      Username: operator.email,
      GroupName: OPERATORS_GROUP,
    });
    const asOperator = (args: string[]) => shorten(args, '', 'operator');
    const login = await shorten(
      ['login', '--url', system.url, '--email', operator.email, '--password-stdin'],
      operator.password,
      'operator',
    );
    expect(login.code, login.stderr).toBe(0);
    const visit = () => fetch(`${system.url}/cli-launch`, { method: 'HEAD', redirect: 'manual' });

    const refused = await shorten(['disable', 'cli-launch', '--reason', 'not mine to judge']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/HTTP 403/);
    expect((await visit()).status).toBe(301);

    const disabled = await asOperator(['disable', 'cli-launch', '--reason', 'phishing report #12', '--json']);
    expect(disabled.code, disabled.stderr).toBe(0);
    expect(JSON.parse(disabled.stdout)).toMatchObject({
      link: 'cli-launch',
      disabled: { reason: 'phishing report #12' },
    });
    expect((await visit()).status).toBe(410);
    expect(await ok(['get', 'cli-launch'])).toMatch(/status:\s+disabled/);
    const ownerEdit = await shorten(['edit', 'cli-launch', '--to', 'https://example.com/cli/back']);
    expect(ownerEdit.code).toBe(2);

    const enabled = await asOperator(['enable', 'cli-launch', '--reason', 'report was mistaken']);
    expect(enabled.code, enabled.stderr).toBe(0);
    expect((await visit()).status).toBe(301);
  });

  it('R2.6 R4.3 after logout, commands exit 3 and ask to log in', async () => {
    await ok(['logout']);
    const run = await shorten(['list', '--url', system.url]);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/shorten login/);
  });
});

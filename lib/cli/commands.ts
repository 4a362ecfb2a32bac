// The client's commands: what each takes, its help, and what it does.

import { readFile, writeFile } from 'node:fs/promises';
import {
  type BulkResult,
  chunkForBulk,
  importReport,
  LinkFileError,
  type LinkInput,
  linksToCsv,
  linksToJson,
  planImport,
  readLinkFile,
  summarise,
} from '../../frontend/assets/link-files.js';
import { ApiClient } from './api.ts';
import { type OptionSpecs, type Parsed, parseDay, parseExpiry } from './args.ts';
import { fetchPageConfig, passwordSignIn, revokeRefreshToken } from './cognito.ts';
import { CliError, EXIT, type ExitCode, usageError } from './errors.ts';
import { type Io, prompt, readAll } from './io.ts';
import { importTable, linkDetails, linksTable, statsReport } from './output.ts';
import { normaliseBase, type SessionStore, Tokens } from './session.ts';

export interface Context extends Parsed {
  io: Io;
  store: SessionStore;
  json: boolean;
  /** Writes to stdout: JSON when --json, the readable text otherwise. */
  print(value: unknown, text: () => string): void;
  /** The base URL in use (--url, $SHORTEN_URL or the last login's); a usage error when there is none. */
  base(): Promise<string>;
  api(): Promise<ApiClient>;
}

export interface Command {
  summary: string;
  /** Arguments after the command name, as shown in help. */
  usage: string;
  options: OptionSpecs;
  positionals: { min: number; max: number };
  details?: string;
  run(context: Context): Promise<ExitCode | undefined>;
}

const str = (context: Context, name: string) => context.options[name] as string | undefined;

async function create(context: Context) {
  const [url] = context.positionals as [string];
  const input: LinkInput = { url };
  const alias = str(context, 'alias');
  const expires = str(context, 'expires');
  if (alias) input.alias = alias;
  if (expires) input.expiresAt = parseExpiry(expires, context.io.now());
  const link = await (await context.api()).create(input);
  context.print(link, () => `${link.shortUrl}\n`);
  return EXIT.ok;
}

async function list(context: Context) {
  const limit = str(context, 'limit');
  const max = limit === undefined ? Number.POSITIVE_INFINITY : Number(limit);
  if (limit !== undefined && (!Number.isInteger(max) || max < 1))
    throw usageError(`--limit takes a whole number of 1 or more, not "${limit}"`);
  const links = await (await context.api()).all(max);
  const { stdout } = context.io;
  context.print(links, () => linksTable(links, context.io.now(), stdout.isTTY ? stdout.columns : undefined));
  return EXIT.ok;
}

async function get(context: Context) {
  const link = await (await context.api()).get(context.positionals[0] as string);
  context.print(link, () => linkDetails(link, context.io.now()));
  return EXIT.ok;
}

async function edit(context: Context) {
  const changes: { url?: string; expiresAt?: string | null } = {};
  const url = str(context, 'to');
  const expires = str(context, 'expires');
  if (url) changes.url = url;
  if (expires && context.options['no-expiry']) throw usageError('give --expires or --no-expiry, not both');
  if (expires) changes.expiresAt = parseExpiry(expires, context.io.now());
  if (context.options['no-expiry']) changes.expiresAt = null;
  if (Object.keys(changes).length === 0) throw usageError('nothing to change: give --to, --expires or --no-expiry');
  const link = await (await context.api()).edit(context.positionals[0] as string, changes);
  context.print(link, () => linkDetails(link, context.io.now()));
  return EXIT.ok;
}

async function remove(context: Context) {
  const api = await context.api();
  const deleted: string[] = [];
  for (const code of context.positionals) {
    await api.remove(code);
    deleted.push(code);
    if (!context.json) context.io.stdout.write(`deleted ${code}\n`);
  }
  if (context.json) context.io.stdout.write(`${JSON.stringify({ deleted })}\n`);
  return EXIT.ok;
}

async function stats(context: Context) {
  const from = str(context, 'from');
  const to = str(context, 'to');
  const range = { from: from && parseDay(from, 'from'), to: to && parseDay(to, 'to') };
  const result = await (await context.api()).stats(context.positionals[0] as string, range);
  context.print(result, () => statsReport(result));
  return EXIT.ok;
}

async function importLinks(context: Context) {
  const [file] = context.positionals as [string];
  const dryRun = context.options['dry-run'] === true;
  let text: string;
  try {
    text = file === '-' ? await readAll(context.io.stdin) : await readFile(file, 'utf8');
  } catch (error) {
    throw usageError(`cannot read ${file}: ${(error as Error).message}`);
  }
  let parsed: ReturnType<typeof readLinkFile>;
  try {
    parsed = readLinkFile(text);
  } catch (error) {
    if (error instanceof LinkFileError) throw usageError(`${file}: ${error.message}`);
    throw error;
  }
  const api = await context.api();
  const plan = planImport(parsed.rows, await api.all());
  const results: BulkResult[] = [];
  let stopped: CliError | undefined;
  for (const chunk of chunkForBulk(plan.send)) {
    try {
      results.push(
        ...(await api.bulk(
          chunk.map((item) => item.input),
          dryRun,
        )),
      );
    } catch (error) {
      if (!(error instanceof CliError) || error.exitCode === EXIT.auth) throw error;
      // Rows of this chunk and the ones after it were not written: report them, keep what was done.
      stopped = error;
      break;
    }
  }
  const report = importReport(plan, results).map((entry) =>
    entry.status === 0 && stopped ? { ...entry, error: `not sent: ${stopped.message}` } : entry,
  );
  const counts = summarise(report);
  const { stdout } = context.io;
  context.print({ dryRun, source: parsed.source, kind: parsed.kind, summary: counts, results: report }, () =>
    importTable(report, dryRun, stdout.isTTY ? stdout.columns : undefined),
  );
  if (stopped) return stopped.exitCode;
  return counts.invalid + counts.taken + counts.limited + counts.failed > 0 ? EXIT.refused : EXIT.ok;
}

async function exportLinks(context: Context) {
  const format =
    str(context, 'format') ?? (context.json ? 'json' : str(context, 'output')?.match(/\.json$/i) ? 'json' : 'csv');
  if (format !== 'csv' && format !== 'json') throw usageError(`--format is csv or json, not "${format}"`);
  const links = await (await context.api()).all();
  const content = format === 'json' ? linksToJson(links) : linksToCsv(links);
  const output = str(context, 'output');
  if (output) {
    await writeFile(output, content);
    context.io.stderr.write(`exported ${links.length} links to ${output}\n`);
  } else context.io.stdout.write(content);
  return EXIT.ok;
}

async function login(context: Context) {
  const { io } = context;
  const given = str(context, 'url') ?? io.env.SHORTEN_URL;
  const base = given ? normaliseBase(given) : (await context.store.read()).current;
  if (!base) throw usageError('which shortener? give --url (e.g. --url http://127.0.0.1:3000) or set SHORTEN_URL');
  const config = await fetchPageConfig(base, io.fetch);
  let email = str(context, 'email');
  if (!email) {
    if (!io.stdin.isTTY) throw usageError('give --email when not on a terminal');
    email = (await prompt(io, 'E-mail: ', false)).trim();
  }
  let password: string;
  if (context.options['password-stdin']) password = (await readAll(io.stdin)).replace(/\r?\n$/, '');
  else if (io.env.SHORTEN_PASSWORD) password = io.env.SHORTEN_PASSWORD;
  else if (io.stdin.isTTY) password = await prompt(io, 'Password: ', true);
  else throw usageError('no password: pipe it with --password-stdin, or set SHORTEN_PASSWORD');
  const tokens = await passwordSignIn(config.cognito, email, password, io.fetch);
  if (!tokens.refreshToken) throw new CliError('the sign-in service returned no refresh token', EXIT.auth);
  await context.store.save({ base, email, cognito: config.cognito, ...tokens, refreshToken: tokens.refreshToken });
  context.print({ base, email }, () => `Logged in to ${base} as ${email}.\n`);
  return EXIT.ok;
}

async function logout(context: Context) {
  const base = await context.base();
  const session = await context.store.remove(base);
  const revoked = session ? await revokeRefreshToken(session.cognito, session.refreshToken, context.io.fetch) : false;
  context.print({ base, loggedOut: Boolean(session), revoked }, () =>
    session ? `Logged out of ${base}.\n` : `Not logged in to ${base}.\n`,
  );
  return EXIT.ok;
}

async function disable(context: Context) {
  const link = await (await context.api()).disable(
    context.positionals[0] as string,
    requiredReason(context, 'disable'),
  );
  context.print(link, () => `disabled ${context.positionals[0]}: it now answers 410 to visitors\n`);
  return EXIT.ok;
}

async function enable(context: Context) {
  const link = await (await context.api()).enable(context.positionals[0] as string, requiredReason(context, 'enable'));
  context.print(link, () => `enabled ${context.positionals[0]}: it redirects again\n`);
  return EXIT.ok;
}

/** Operators say why, for the log: the API refuses a takedown or its reversal without a reason. */
function requiredReason(context: Context, command: string): string {
  const reason = str(context, 'reason')?.trim();
  if (!reason) throw usageError(`${command} needs --reason: operators say why, and it is logged with their name`);
  return reason;
}

const EXPIRES = {
  type: 'string',
  value: 'WHEN',
  description: 'expiry: an ISO-8601 instant (2030-01-31T12:00:00Z) or a duration from now (30d, 12h, 90m, 2w)',
} as const;

export const COMMANDS: Record<string, Command> = {
  login: {
    summary: 'log in (Cognito e-mail and password) and keep the session',
    usage: '[--url URL] [--email EMAIL] [--password-stdin]',
    options: {
      email: { type: 'string', value: 'EMAIL', description: 'your e-mail (asked for on a terminal when missing)' },
      'password-stdin': {
        type: 'boolean',
        description: 'read the password from stdin (else $SHORTEN_PASSWORD, else asked for)',
      },
    },
    positionals: { min: 0, max: 0 },
    details:
      'Reads <URL>/config.json to find the sign-in service, signs in with USER_PASSWORD_AUTH and saves the\n' +
      'tokens (owner-only file) in $XDG_CONFIG_HOME/shorten or ~/.config/shorten. Later commands renew them\n' +
      'with the refresh token; the URL becomes the default for later commands.',
    run: login,
  },
  logout: {
    summary: 'forget the session (and revoke its refresh token)',
    usage: '[--url URL]',
    options: {},
    positionals: { min: 0, max: 0 },
    run: logout,
  },
  create: {
    summary: 'shorten a URL; prints the short URL',
    usage: '<url> [--alias CODE] [--expires WHEN]',
    options: {
      alias: { type: 'string', value: 'CODE', description: 'your own code: 3-64 of A-Z a-z 0-9 - _' },
      expires: EXPIRES,
    },
    positionals: { min: 1, max: 1 },
    run: create,
  },
  list: {
    summary: 'your links, newest first (all of them unless --limit)',
    usage: '[--limit N]',
    options: { limit: { type: 'string', value: 'N', description: 'show at most N links' } },
    positionals: { min: 0, max: 0 },
    run: list,
  },
  get: {
    summary: 'one of your links',
    usage: '<code>',
    options: {},
    positionals: { min: 1, max: 1 },
    run: get,
  },
  edit: {
    summary: 'change where a link goes or when it expires',
    usage: '<code> [--to URL] [--expires WHEN | --no-expiry]',
    options: {
      to: { type: 'string', value: 'URL', description: 'new destination' },
      expires: EXPIRES,
      'no-expiry': { type: 'boolean', description: 'remove the expiry' },
    },
    positionals: { min: 1, max: 1 },
    run: edit,
  },
  delete: {
    summary: 'delete links (their codes stay yours)',
    usage: '<code>...',
    options: {},
    positionals: { min: 1, max: Number.POSITIVE_INFINITY },
    run: remove,
  },
  stats: {
    summary: 'visits per day, referrers, countries, devices and browsers',
    usage: '<code> [--from YYYY-MM-DD] [--to YYYY-MM-DD]',
    options: {
      from: { type: 'string', value: 'YYYY-MM-DD', description: 'first day (UTC; default: 29 days before --to)' },
      to: { type: 'string', value: 'YYYY-MM-DD', description: 'last day (UTC; default: today)' },
    },
    positionals: { min: 1, max: 1 },
    run: stats,
  },
  import: {
    summary: 'create links from a CSV or JSON file (ours, Bitly, Shlink, YOURLS)',
    usage: '<file|-> [--dry-run]',
    options: { 'dry-run': { type: 'boolean', description: 'report what would happen, write nothing' } },
    positionals: { min: 1, max: 1 },
    details:
      'Rows already among your links (same code and URL, or same URL for rows without a code) are reported\n' +
      'as "already there" and not sent again, so importing a file twice creates nothing the second time.\n' +
      'Exit status 2 when any row was refused (invalid, alias taken, quota reached).',
    run: importLinks,
  },
  export: {
    summary: 'all your links with their counts, as CSV or JSON',
    usage: '[--format csv|json] [--output FILE]',
    options: {
      format: {
        type: 'string',
        value: 'csv|json',
        description: 'file format (default: csv; json with --json or a .json file)',
      },
      output: { type: 'string', value: 'FILE', description: 'write to FILE instead of stdout' },
    },
    positionals: { min: 0, max: 0 },
    run: exportLinks,
  },
  disable: {
    summary: 'operators: take any link down (it answers 410)',
    usage: '<code> --reason TEXT',
    options: {
      reason: { type: 'string', value: 'TEXT', description: 'why (kept with the takedown, logged with who did it)' },
    },
    positionals: { min: 1, max: 1 },
    run: disable,
  },
  enable: {
    summary: 'operators: put a taken-down link back',
    usage: '<code> --reason TEXT',
    options: { reason: { type: 'string', value: 'TEXT', description: 'why (logged with who did it)' } },
    positionals: { min: 1, max: 1 },
    run: enable,
  },
};

/** Builds the API client for the base in use, with tokens from the saved session. */
export async function apiFor(store: SessionStore, base: string, io: Io): Promise<ApiClient> {
  return new ApiClient(base, new Tokens(store, base, io.fetch, () => io.now().getTime()), io.fetch);
}

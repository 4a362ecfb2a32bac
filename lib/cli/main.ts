// `shorten <command> [options]`: dispatch, help, and one exit status per kind of failure.

import { readFileSync } from 'node:fs';
import { GLOBAL_OPTIONS, type OptionSpecs, parseArgs } from './args.ts';
import { apiFor, COMMANDS, type Command, type Context } from './commands.ts';
import { CliError, EXIT, type ExitCode, usageError } from './errors.ts';
import type { Io } from './io.ts';
import { SessionStore } from './session.ts';

const NAME = 'shorten';

/** The client ships inside the shortener's package: its version is the package's. */
function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function optionLines(specs: OptionSpecs): string[] {
  return Object.entries(specs).map(([name, spec]) => {
    const flag = `${spec.short ? `-${spec.short}, ` : ''}--${name}${spec.value ? ` ${spec.value}` : ''}`;
    return `  ${flag.padEnd(28)}${spec.description}`;
  });
}

export function generalHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  return [
    `Usage: ${NAME} <command> [options]`,
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([name, command]) => `  ${name.padEnd(width + 2)}${command.summary}`),
    '',
    'Options for every command:',
    ...optionLines(GLOBAL_OPTIONS),
    '',
    `Run \`${NAME} <command> --help\` for a command's options; \`${NAME} --version\` prints the version.`,
    'Exit status: 0 ok, 1 usage error, 2 refused by the API (4xx), 3 login needed, 4 service unreachable or failing.',
    '',
  ].join('\n');
}

export function commandHelp(name: string, command: Command): string {
  return [
    `Usage: ${NAME} ${name} ${command.usage}`.trimEnd(),
    '',
    `${command.summary[0]?.toUpperCase()}${command.summary.slice(1)}.`,
    ...(command.details ? ['', command.details] : []),
    '',
    'Options:',
    ...optionLines({ ...command.options, ...GLOBAL_OPTIONS }),
    '',
  ].join('\n');
}

/** Runs one command line; resolves with the exit status. Never throws. */
export async function main(argv: readonly string[], io: Io): Promise<ExitCode> {
  const json = argv.includes('--json');
  try {
    const [name, ...rest] = argv;
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      const topic = name === 'help' ? rest[0] : undefined;
      const command = topic ? COMMANDS[topic] : undefined;
      if (topic && !command) throw usageError(`unknown command "${topic}"`);
      io.stdout.write(command && topic ? commandHelp(topic, command) : generalHelp());
      return name === undefined ? EXIT.usage : EXIT.ok;
    }
    if (name === '--version' || name === '-V' || name === 'version') {
      io.stdout.write(`${NAME} ${version()}\n`);
      return EXIT.ok;
    }
    const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
    if (!command) throw usageError(`unknown command "${name}"; run \`${NAME} --help\` for the list`);
    const parsed = parseArgs(rest, command.options);
    if (parsed.options.help) {
      io.stdout.write(commandHelp(name, command));
      return EXIT.ok;
    }
    const { min, max } = command.positionals;
    if (parsed.positionals.length < min || parsed.positionals.length > max) {
      throw usageError(`usage: ${NAME} ${name} ${command.usage}`);
    }
    const store = new SessionStore(io.env);
    const base = async () => {
      const resolved = await store.resolveBase(parsed.options.url as string | undefined, io.env);
      if (!resolved) throw new CliError('not logged in: run `shorten login --url <base URL>` first', EXIT.auth);
      return resolved;
    };
    const context: Context = {
      ...parsed,
      io,
      store,
      json: parsed.options.json === true,
      print: (value, text) => io.stdout.write(parsed.options.json ? `${JSON.stringify(value, null, 2)}\n` : text()),
      base,
      api: async () => apiFor(store, await base(), io),
    };
    return (await command.run(context)) ?? EXIT.ok;
  } catch (error) {
    const failure =
      error instanceof CliError
        ? error
        : new CliError(`unexpected error: ${(error as Error)?.message ?? error}`, EXIT.unavailable);
    io.stderr.write(
      json
        ? `${JSON.stringify({ error: failure.message, ...(failure.status ? { status: failure.status } : {}), exitCode: failure.exitCode })}\n`
        : `${NAME}: ${failure.message}\n`,
    );
    return failure.exitCode;
  }
}

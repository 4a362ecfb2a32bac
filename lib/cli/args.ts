// Command-line parsing: `--name value`, `--name=value`, boolean `--flag`, `-h`, and `--` to end options.
// Each command declares its options; anything else is a usage error (exit 1).

import { usageError } from './errors.ts';

export interface OptionSpec {
  type: 'string' | 'boolean';
  description: string;
  /** Placeholder shown in help, e.g. `URL`. */
  value?: string;
  short?: string;
}

export type OptionSpecs = Record<string, OptionSpec>;

export interface Parsed {
  options: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/** Options every command takes. */
export const GLOBAL_OPTIONS: OptionSpecs = {
  url: {
    type: 'string',
    value: 'URL',
    description: 'base URL of the shortener (default: $SHORTEN_URL, then the one you logged in to)',
  },
  json: { type: 'boolean', description: 'machine-readable JSON on stdout' },
  help: { type: 'boolean', short: 'h', description: 'show help for the command' },
};

export function parseArgs(argv: readonly string[], specs: OptionSpecs): Parsed {
  const all: OptionSpecs = { ...GLOBAL_OPTIONS, ...specs };
  const byShort = new Map(
    Object.entries(all)
      .filter(([, spec]) => spec.short)
      .map(([name, spec]) => [spec.short as string, name]),
  );
  const options: Parsed['options'] = {};
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    let name: string | undefined;
    let inline: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
      inline = eq >= 0 ? arg.slice(eq + 1) : undefined;
    } else if (/^-[a-zA-Z]$/.test(arg)) {
      name = byShort.get(arg.slice(1));
      if (!name) throw usageError(`unknown option ${arg}`);
    } else {
      positionals.push(arg);
      continue;
    }
    const spec = all[name];
    if (!spec) throw usageError(`unknown option --${name}`);
    if (spec.type === 'boolean') {
      if (inline !== undefined) throw usageError(`--${name} takes no value`);
      options[name] = true;
    } else {
      const value = inline ?? argv[++i];
      if (value === undefined || (inline === undefined && value.startsWith('--'))) {
        throw usageError(`--${name} needs a value${spec.value ? ` (${spec.value})` : ''}`);
      }
      if (options[name] !== undefined) throw usageError(`--${name} given twice`);
      options[name] = value;
    }
  }
  return { options, positionals };
}

/** Reads a duration like `30d`, `12h`, `90m`, `2w` or an ISO-8601 instant into an ISO-8601 instant. */
export function parseExpiry(value: string, now: Date): string {
  const relative = /^(\d+)\s*([mhdw])$/i.exec(value.trim());
  if (relative) {
    const unitMs = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[
      (relative[2] as string).toLowerCase() as 'm' | 'h' | 'd' | 'w'
    ];
    return new Date(now.getTime() + Number(relative[1]) * unitMs).toISOString();
  }
  const instant = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(instant.getTime())) {
    throw usageError(
      `--expires takes an ISO-8601 instant (2030-01-31T12:00:00Z) or a duration (30d, 12h, 90m, 2w), not "${value}"`,
    );
  }
  return instant.toISOString();
}

/** A `YYYY-MM-DD` day, as the stats route takes it. */
export function parseDay(value: string, option: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw usageError(`--${option} takes a day as YYYY-MM-DD, not "${value}"`);
  return value;
}

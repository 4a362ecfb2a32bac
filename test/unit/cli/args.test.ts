// Command-line parsing of the `shorten` client.
import { describe, expect, it } from 'vitest';
import { parseArgs, parseDay, parseExpiry } from '../../../lib/cli/args.ts';
import { CliError, EXIT } from '../../../lib/cli/errors.ts';

const specs = {
  alias: { type: 'string', description: 'alias' },
  'dry-run': { type: 'boolean', description: 'dry run' },
} as const;

function usageFailure(run: () => unknown): CliError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(EXIT.usage);
    return error as CliError;
  }
  throw new Error('expected a usage error');
}

describe('cli', () => {
  it('R3.9 reads --name value, --name=value, boolean flags, -h and positionals in any order', () => {
    expect(parseArgs(['https://a.example/', '--alias', 'abc', '--json', '--dry-run'], specs)).toEqual({
      options: { alias: 'abc', json: true, 'dry-run': true },
      positionals: ['https://a.example/'],
    });
    expect(parseArgs(['--alias=x=y', '-h', '--url', 'http://127.0.0.1:3000', 'a'], specs)).toEqual({
      options: { alias: 'x=y', help: true, url: 'http://127.0.0.1:3000' },
      positionals: ['a'],
    });
  });

  it('R3.9 takes everything after -- as positionals, even when it looks like an option', () => {
    expect(parseArgs(['--', '--alias', '-h'], specs).positionals).toEqual(['--alias', '-h']);
  });

  it('R4.3 rejects unknown options, missing values, values on flags and repeats as usage errors (exit 1)', () => {
    expect(usageFailure(() => parseArgs(['--frob'], specs)).message).toMatch(/unknown option --frob/);
    expect(usageFailure(() => parseArgs(['-x'], specs)).message).toMatch(/unknown option -x/);
    expect(usageFailure(() => parseArgs(['--alias'], specs)).message).toMatch(/--alias needs a value/);
    expect(usageFailure(() => parseArgs(['--alias', '--json'], specs)).message).toMatch(/--alias needs a value/);
    expect(usageFailure(() => parseArgs(['--dry-run=yes'], specs)).message).toMatch(/takes no value/);
    expect(usageFailure(() => parseArgs(['--alias', 'a', '--alias', 'b'], specs)).message).toMatch(/given twice/);
  });

  it('R3.7 reads an expiry as a duration from now or an ISO-8601 instant', () => {
    const now = new Date('2026-11-29T12:00:00.000Z');
    expect(parseExpiry('30d', now)).toBe('2026-12-29T12:00:00.000Z');
    expect(parseExpiry('12h', now)).toBe('2026-11-30T00:00:00.000Z');
    expect(parseExpiry('90m', now)).toBe('2026-11-29T13:30:00.000Z');
    expect(parseExpiry('2w', now)).toBe('2026-12-13T12:00:00.000Z');
    expect(parseExpiry('2030-01-31T12:00:00+01:00', now)).toBe('2030-01-31T11:00:00.000Z');
    expect(usageFailure(() => parseExpiry('tomorrow', now)).message).toMatch(/ISO-8601 instant .* or a duration/);
    expect(usageFailure(() => parseExpiry('2030-13-45', now)).message).toMatch(/--expires/);
  });

  it('R3.6 takes stats days as YYYY-MM-DD', () => {
    expect(parseDay('2026-11-01', 'from')).toBe('2026-11-01');
    expect(usageFailure(() => parseDay('1.11.2026', 'from')).message).toMatch(/--from takes a day as YYYY-MM-DD/);
  });
});

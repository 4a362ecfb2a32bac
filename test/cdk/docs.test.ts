// The deployment guide (the README's "Deploy to AWS" section) stays in step with the app: every option and output is documented, and the cost
// table adds up.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONTEXT_KEYS } from '../../lib/stack/config.ts';
import { PROJECT_ROOT } from '../../lib/stack/shortener-function.ts';
import { OUTPUT_NAMES } from '../../lib/stack/shortener-stack.ts';

/** The README's "Deploy to AWS" section, up to the next top-level heading. */
function deploySection(readme: string): string {
  const start = readme.indexOf('\n## Deploy to AWS');
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

const guide = deploySection(readFileSync(`${PROJECT_ROOT}README.md`, 'utf8'));

/** The rows of the markdown table whose header row starts with `firstHeader`. */
function tableRows(firstHeader: string): string[][] {
  const lines = guide.split('\n');
  const start = lines.findIndex((line) => line.startsWith(`| ${firstHeader}`));
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
  }
  return rows;
}

/** The amount a cost cell starts with: `0.13`, `< 0.10`, `**≈ 60.3**`, `0.03 (2,000 GB-s)`. */
const amount = (cell: string): number => Number(/(\d+\.\d+|\d+)/.exec(cell.replace(/,/g, ''))?.[1] ?? Number.NaN);

describe('aws-deployment', () => {
  it('R11.1 documents every context option and every stack output', () => {
    for (const key of Object.values(CONTEXT_KEYS)) expect(guide, key).toContain(`\`${key}\``);
    for (const output of Object.values(OUTPUT_NAMES)) expect(guide, output).toContain(`\`${output}\``);
    expect(guide).toContain('npx cdk bootstrap');
    expect(guide).toContain('npm run deploy');
    expect(guide).toContain('npm run diff');
  });

  it('R11.2 explains the first user and the teardown, naming what is retained', () => {
    expect(guide).toMatch(/### The first user/);
    expect(guide).toContain('admin-create-user');
    expect(guide).toMatch(/### Tear down[\s\S]*npm run destroy[\s\S]*termination protection[\s\S]*deletion protection/);
  });

  it('R11.3 each cost column adds up to its total', () => {
    const rows = tableRows('item');
    const total = rows.find((row) => row[0]?.includes('total'));
    const items = rows.filter((row) => row !== total);
    expect(items.length).toBeGreaterThan(10);
    for (const column of [1, 2, 3]) {
      const sum = items.reduce((acc, row) => acc + amount(row[column] ?? ''), 0);
      expect(sum, `column ${column}`).toBeCloseTo(amount(total?.[column] ?? ''), 1);
    }
  });
});

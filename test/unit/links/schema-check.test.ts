import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../lambdas/domain/errors.ts';
import { checkBody } from '../../../lambdas/http/schema-check.ts';

const problem = (name: Parameters<typeof checkBody>[0], value: unknown, options = {}) => {
  try {
    checkBody(name, value, options);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as Error).message;
  }
};

describe('links-api', () => {
  describe('request schemas', () => {
    it('R14.2 accepts what the schemas describe', () => {
      expect(problem('LinkInput', { url: 'https://e.example/', alias: null, expiresAt: null })).toBeUndefined();
      expect(problem('LinkInput', { url: 'x', extra: 'ignored' })).toBeUndefined();
      expect(problem('LinkChanges', { expiresAt: null })).toBeUndefined();
      expect(problem('BulkRequest', { links: [{ url: 'x' }], dryRun: false })).toBeUndefined();
      expect(problem('Moderation', { reason: 'spam' })).toBeUndefined();
    });

    it.each([
      ['LinkInput', {}, 'url is required'],
      ['LinkInput', { url: 7 }, 'url must be a string'],
      ['LinkInput', { url: '' }, 'url must not be empty'],
      ['LinkInput', { url: 'x', alias: 5 }, 'alias must be a string or null'],
      ['LinkInput', { url: 'x', alias: 'a b' }, 'alias must match ^[A-Za-z0-9_-]{3,64}$'],
      ['LinkChanges', {}, 'the request body must have at least one of url, expiresAt'],
      ['LinkChanges', { alias: 'x' }, 'the request body has unknown field alias'],
      ['LinkChanges', { expiresAt: 5 }, 'expiresAt must be a string or null'],
      ['BulkRequest', { links: [] }, 'links must have at least 1 item'],
      ['BulkRequest', { links: 'x' }, 'links must be an array'],
      ['BulkRequest', { links: [{ url: 'x' }], dryRun: 1 }, 'dryRun must be true or false'],
      ['Moderation', { reason: '' }, 'reason must not be empty'],
      ['Moderation', [], 'the request body must be a JSON object'],
    ] as const)('R14.2 %s refuses %j: %s', (name, value, message) => {
      expect(problem(name, value)).toBe(message);
    });

    it('R13.3 leaves bulk rows to be checked one by one when asked to', () => {
      expect(problem('BulkRequest', { links: [{}, 'x'] }, { checkItems: false })).toBeUndefined();
      expect(problem('BulkRequest', { links: [{}, 'x'] })).toBe('links[0].url is required');
    });
  });
});

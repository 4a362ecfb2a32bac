import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../lambdas/domain/errors.ts';
import { decodeCursor, encodeCursor, parsePageSize } from '../../../lambdas/domain/paging.ts';

const KEY = { created: '2026-11-22T05:00:00.123Z', link: 'abc12345' };
const payloadOf = (cursor: string) =>
  JSON.parse(Buffer.from(cursor, 'base64url').toString()) as Record<string, unknown>;
const cursorOf = (payload: unknown) => Buffer.from(JSON.stringify(payload)).toString('base64url');
const digest = (text: string) => createHash('sha256').update(text).digest('base64url').slice(0, 16);
/** A cursor for user-a with a correct binding and check, so that only the field under test is wrong. */
const consistent = (c: unknown, l: unknown) => {
  const u = digest('user-a');
  return cursorOf({ c, l, u, k: digest(`${u}\n${String(c)}\n${String(l)}`) });
};

describe('links-api', () => {
  describe('page size', () => {
    it('R4.2 defaults to 20', () => {
      expect(parsePageSize(undefined)).toBe(20);
    });

    it.each([
      ['1', 1],
      ['20', 20],
      ['100', 100],
      ['007', 7],
    ])('R4.2 accepts %j', (raw, size) => {
      expect(parsePageSize(raw)).toBe(size);
    });

    it.each(['0', '101', '1000', 'abc', '-1', '+5', '1.5', '1e2', '', ' 5', '5 ', '0x10', 'Infinity', 'NaN', '5,6'])(
      'R4.3 rejects %j',
      (raw) => {
        expect(() => parsePageSize(raw)).toThrow(ValidationError);
      },
    );
  });

  describe('cursor', () => {
    it('R4.5 round-trips the page key for the same caller', () => {
      expect(decodeCursor(encodeCursor(KEY, 'user-a'), 'user-a')).toEqual(KEY);
      expect(decodeCursor(consistent(KEY.created, KEY.link), 'user-a')).toEqual(KEY);
    });

    it("R4.5 is opaque: URL-safe and without the caller's id in clear", () => {
      const cursor = encodeCursor(KEY, 'user-a-sub-0000');
      expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(Buffer.from(cursor, 'base64url').toString()).not.toContain('user-a-sub-0000');
      expect(encodeURIComponent(cursor)).toBe(cursor);
    });

    it('R4.7 rejects a cursor issued to another user', () => {
      const theirs = encodeCursor(KEY, 'user-b');
      expect(() => decodeCursor(theirs, 'user-a')).toThrow('cursor was issued to another user');
    });

    it('R4.7 rejects a cursor whose binding was replaced', () => {
      const payload = payloadOf(encodeCursor(KEY, 'user-b'));
      const mine = payloadOf(encodeCursor(KEY, 'user-a'));
      expect(() => decodeCursor(cursorOf({ ...payload, u: mine.u }), 'user-a')).toThrow(ValidationError);
    });

    it.each([
      ['empty', ''],
      ['not base64url', 'abc+/='],
      ['with spaces', 'abc def'],
      ['base64 with padding', `${Buffer.from('{}').toString('base64')}=`],
      ['over 512 characters', 'A'.repeat(513)],
      ['base64url of text', Buffer.from('hello world').toString('base64url')],
      ['JSON null', cursorOf(null)],
      ['a JSON string', cursorOf('abc')],
      ['a JSON array', cursorOf([KEY.created, KEY.link])],
      ['missing created', cursorOf({ l: KEY.link, u: 'x', k: 'x' })],
      ['missing link', cursorOf({ c: KEY.created, u: 'x', k: 'x' })],
      ['missing binding', cursorOf({ c: KEY.created, l: KEY.link, k: 'x' })],
      ['missing check', cursorOf({ c: KEY.created, l: KEY.link, u: 'x' })],
      ['a numeric created', consistent(1, KEY.link)],
      ['a created without milliseconds', consistent('2026-11-22T05:00:00Z', KEY.link)],
      ['an impossible date', consistent('2026-13-45T99:99:99.999Z', KEY.link)],
      ['a link with a dot', consistent(KEY.created, 'a.b')],
      ['a reserved link', consistent(KEY.created, 'admin')],
      ['an object as link', consistent(KEY.created, { S: 'abc' })],
    ])('R4.6 rejects a cursor that is %s with a validation error', (_, cursor) => {
      expect(() => decodeCursor(cursor, 'user-a')).toThrow(ValidationError);
    });

    it('R4.6 rejects every single-character change of a valid cursor', () => {
      const cursor = encodeCursor(KEY, 'user-a');
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      for (let i = 0; i < cursor.length; i++) {
        for (const char of alphabet) {
          if (cursor[i] === char) continue;
          const changed = cursor.slice(0, i) + char + cursor.slice(i + 1);
          expect(() => decodeCursor(changed, 'user-a'), changed).toThrow(ValidationError);
        }
      }
    });

    it('R4.6 rejects a re-encoded cursor whose key was edited', () => {
      const payload = payloadOf(encodeCursor(KEY, 'user-a'));
      const edited = cursorOf({ ...payload, c: '2099-01-01T00:00:00.000Z' });
      expect(() => decodeCursor(edited, 'user-a')).toThrow('cursor is not valid');
      expect(() => decodeCursor(cursorOf({ ...payload, l: 'other123' }), 'user-a')).toThrow('cursor is not valid');
    });

    it('R4.6 rejects truncated cursors', () => {
      const cursor = encodeCursor(KEY, 'user-a');
      for (let length = 0; length < cursor.length; length += 7) {
        expect(() => decodeCursor(cursor.slice(0, length), 'user-a')).toThrow(ValidationError);
      }
    });
  });
});

import { describe, expect, it } from 'vitest';
import { isLinkCode, isReserved, randomCode, validateAlias } from '../../../lambdas/domain/codes.ts';
import { ValidationError } from '../../../lambdas/domain/errors.ts';
import { RESERVED_ALIASES } from '../../../lambdas/domain/rules.ts';

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A byte source that hands out `bytes` in order, then repeats the last one. */
function scripted(bytes: number[]) {
  let next = 0;
  return (count: number) => Uint8Array.from({ length: count }, () => bytes[Math.min(next++, bytes.length - 1)] ?? 0);
}

describe('links-api', () => {
  describe('random codes', () => {
    it('R3.1 makes 8 base62 characters', () => {
      for (let i = 0; i < 200; i++) expect(randomCode()).toMatch(/^[A-Za-z0-9]{8}$/);
    });

    it('R3.1 takes its randomness from crypto.getRandomValues by default', () => {
      const codes = new Set(Array.from({ length: 2000 }, () => randomCode()));
      expect(codes.size).toBe(2000); // 62^8 codes: any repeat in 2,000 draws would mean a broken source
    });

    it('R3.1 maps accepted bytes uniformly and draws again for bytes at or above 248', () => {
      // 248 = 4 * 62: bytes 248..255 would favour the first 8 characters if folded with a modulo.
      const code = randomCode(scripted([248, 255, 0, 61, 62, 247, 250, 123, 124, 1, 2]));
      expect(code).toBe(
        `${BASE62[0]}${BASE62[61]}${BASE62[0]}${BASE62[61]}${BASE62[123 % 62]}${BASE62[0]}${BASE62[1]}${BASE62[2]}`,
      );
    });

    it('R3.1 uses every base62 character about equally often', () => {
      const counts = new Map<string, number>();
      const draws = 4000;
      for (let i = 0; i < draws; i++) for (const char of randomCode()) counts.set(char, (counts.get(char) ?? 0) + 1);
      expect([...counts.keys()].sort().join('')).toBe([...BASE62].sort().join(''));
      const expected = (draws * 8) / 62; // about 516 per character
      for (const count of counts.values()) {
        expect(count).toBeGreaterThan(expected * 0.7);
        expect(count).toBeLessThan(expected * 1.3);
      }
    });

    it('R3.2 never returns a reserved word, drawing again instead', () => {
      // "register" is reserved and exactly 8 characters long; the 8 bytes after it are left unused.
      const register = [...'reGISter'].map((c) => BASE62.indexOf(c));
      const code = randomCode(scripted([...register, ...Array(8).fill(1), 0]));
      expect(isReserved(code)).toBe(false);
      expect(code).toBe('AAAAAAAA');
    });
  });

  describe('aliases', () => {
    it.each(['abc', 'a'.repeat(64), 'My_Promo-2026', '---', '___', '123'])('R3.3 accepts %j', (alias) => {
      expect(validateAlias(alias)).toBe(alias);
    });

    it.each(['ab', 'a'.repeat(65), 'a b', 'a/b', 'a.b', 'a?b', 'a#b', 'a%20', 'ümlaut', '', 42, null, ['abc']])(
      'R3.3 rejects %j',
      (alias) => {
        expect(() => validateAlias(alias)).toThrow(ValidationError);
      },
    );

    it('R3.4 rejects every reserved word in any case', () => {
      for (const word of RESERVED_ALIASES) {
        for (const variant of [word, word.toUpperCase(), word[0]?.toUpperCase() + word.slice(1)]) {
          expect(() => validateAlias(variant), variant).toThrow(/reserved/);
        }
      }
    });

    it("R3.4 reserves the contract's paths", () => {
      for (const word of ['links', 'api', 'assets', 'static', 'health', 'admin', 'login', 'logout', 'signup']) {
        expect(isReserved(word)).toBe(true);
      }
    });

    it('R6.6 treats only valid, unreserved shapes as possible codes', () => {
      expect(isLinkCode('abc12345')).toBe(true);
      expect(isLinkCode('My_Promo-2026')).toBe(true);
      expect(isLinkCode('ab')).toBe(false);
      expect(isLinkCode('Assets')).toBe(false);
      expect(isLinkCode('a.b.c')).toBe(false);
    });
  });
});

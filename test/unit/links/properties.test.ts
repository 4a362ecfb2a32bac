// Seeded random inputs for the correctness properties of the design: reproducible, so a failure
// names the seed and the input that broke it.
import { describe, expect, it } from 'vitest';
import { isReserved, randomCode } from '../../../lambdas/domain/codes.ts';
import { normaliseDestination } from '../../../lambdas/domain/destination.ts';
import { ValidationError } from '../../../lambdas/domain/errors.ts';
import { decodeCursor, encodeCursor } from '../../../lambdas/domain/paging.ts';

/** mulberry32: a tiny seeded generator, good enough to spread test inputs. */
function seeded(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [
  'http',
  'https',
  'javascript',
  'data',
  'ftp',
  ':',
  '//',
  '/',
  '@',
  ':pw',
  'user',
  '127.0.0.1',
  'localhost',
  ':3000',
  'example.com',
  'bücher.de',
  'sho.rt',
  '.',
  '..',
  '?',
  '#',
  '&',
  '=',
  '%',
  '%20',
  '%zz',
  'é',
  '中',
  ' ',
  '\t',
  '\n',
  '\u0000',
  '\u00a0',
  '[::1]',
  'a',
  'Z',
  '9',
  '-',
  '_',
  '~',
  '\\',
  '"',
  "'",
  '<',
  '>',
];
const SELF = ['http://127.0.0.1:3000', 'https://sho.rt'];

describe('links-api', () => {
  describe('properties', () => {
    it('R2.1 R2.3 R2.4 R2.6 R2.7 any input is either refused with a ValidationError or stored in a safe WHATWG form', () => {
      const random = seeded(20261122);
      let accepted = 0;
      for (let i = 0; i < 5000; i++) {
        const parts = Array.from(
          { length: 1 + Math.floor(random() * 8) },
          () => PIECES[Math.floor(random() * PIECES.length)],
        );
        const raw = random() < 0.5 ? `https://${parts.join('')}` : parts.join('');
        let href: string;
        try {
          href = normaliseDestination(raw, {
            selfOrigins: SELF,
            blockedHosts: [],
            refuseShorteners: true,
            allowLoopback: true,
          });
        } catch (error) {
          expect(error, raw).toBeInstanceOf(ValidationError);
          continue;
        }
        accepted++;
        const url = new URL(href);
        expect(href, raw).toBe(new URL(raw).href);
        expect(['http:', 'https:'], raw).toContain(url.protocol);
        expect(url.hostname, raw).not.toBe('');
        expect(url.username + url.password, raw).toBe('');
        expect(href.length, raw).toBeLessThanOrEqual(2048);
        expect(raw, raw).not.toMatch(/[\s\p{Cc}]/u);
        expect(['http://127.0.0.1:3000', 'http://localhost:3000', 'https://sho.rt'], raw).not.toContain(url.origin);
        // Location headers must be plain ASCII (Node refuses anything above U+00FF).
        expect(href, raw).toMatch(/^[\x21-\x7e]+$/);
      }
      expect(accepted).toBeGreaterThan(100); // the generator does reach the accepting side
    });

    it('R4.6 R4.7 any string is either a cursor the caller was issued or a ValidationError', () => {
      const random = seeded(7);
      const issued = encodeCursor({ created: '2026-11-22T05:00:00.000Z', link: 'abc12345' }, 'user-a');
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+/=.{}":, ';
      for (let i = 0; i < 5000; i++) {
        const mode = random();
        let candidate: string;
        if (mode < 0.4) {
          // Splice random characters into a real cursor.
          const at = Math.floor(random() * issued.length);
          const insert = alphabet[Math.floor(random() * alphabet.length)] ?? '';
          candidate = issued.slice(0, at) + insert + issued.slice(at + 1 + Math.floor(random() * 2));
        } else if (mode < 0.7) {
          // Random JSON-ish payloads, properly encoded.
          const fields = {
            c: random() < 0.5 ? '2026-11-22T05:00:00.000Z' : String(random()),
            l: 'abc12345',
            u: 'x',
            k: 'y',
          };
          candidate = Buffer.from(JSON.stringify(fields)).toString('base64url');
        } else {
          candidate = Array.from(
            { length: Math.floor(random() * 300) },
            () => alphabet[Math.floor(random() * alphabet.length)],
          ).join('');
        }
        try {
          const key = decodeCursor(candidate, 'user-a');
          expect(candidate).toBe(issued); // only the untouched cursor decodes
          expect(key).toEqual({ created: '2026-11-22T05:00:00.000Z', link: 'abc12345' });
        } catch (error) {
          expect(error, candidate).toBeInstanceOf(ValidationError);
        }
      }
    });

    it('R3.1 R3.2 any byte source yields 8 base62 characters that are not a reserved word', () => {
      const random = seeded(62);
      for (let i = 0; i < 2000; i++) {
        const code = randomCode((count) => Uint8Array.from({ length: count }, () => Math.floor(random() * 256)));
        expect(code).toMatch(/^[A-Za-z0-9]{8}$/);
        expect(isReserved(code)).toBe(false);
      }
    });
  });
});

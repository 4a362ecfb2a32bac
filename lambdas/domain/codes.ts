// Short codes: random ones the shortener picks, and aliases the creator picks. Both live in the same
// key space and the same URL path segment, so they share one shape and one reserved list.

import { ValidationError } from './errors.ts';
import { LINK_RULES, RESERVED_ALIASES } from './rules.ts';

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
// The largest multiple of 62 that fits a byte; bytes at or above it are drawn again, so that every
// character is equally likely (a plain `byte % 62` would favour the first 8 characters).
const UNBIASED_BYTE_LIMIT = 256 - (256 % BASE62.length);

const CODE_SHAPE = new RegExp(`^[A-Za-z0-9_-]{${LINK_RULES.aliasMinLength},${LINK_RULES.aliasMaxLength}}$`);
const RESERVED = new Set(RESERVED_ALIASES.map((word) => word.toLowerCase()));

/** `count` cryptographically strong random bytes. */
export type RandomBytes = (count: number) => Uint8Array;

const cryptoRandomBytes: RandomBytes = (count) => crypto.getRandomValues(new Uint8Array(count));

export function isReserved(code: string): boolean {
  return RESERVED.has(code.toLowerCase());
}

/** Whether `code` could be a stored link at all; anything else is unknown without asking the store. */
export function isLinkCode(code: string): boolean {
  return CODE_SHAPE.test(code) && !isReserved(code);
}

/** An unguessable code of `LINK_RULES.randomCodeLength` base62 characters that is never a reserved word. */
export function randomCode(randomBytes: RandomBytes = cryptoRandomBytes): string {
  for (;;) {
    let code = '';
    while (code.length < LINK_RULES.randomCodeLength) {
      for (const byte of randomBytes(LINK_RULES.randomCodeLength * 2)) {
        if (byte < UNBIASED_BYTE_LIMIT && code.length < LINK_RULES.randomCodeLength)
          code += BASE62[byte % BASE62.length];
      }
    }
    if (!isReserved(code)) return code;
  }
}

/** Returns the alias when it is a valid, unreserved code; otherwise a ValidationError. */
export function validateAlias(alias: unknown): string {
  if (typeof alias !== 'string' || !CODE_SHAPE.test(alias)) {
    throw new ValidationError(
      `alias must be ${LINK_RULES.aliasMinLength}-${LINK_RULES.aliasMaxLength} characters of A-Z, a-z, 0-9, - and _`,
    );
  }
  if (isReserved(alias)) throw new ValidationError(`alias "${alias}" is reserved`);
  return alias;
}

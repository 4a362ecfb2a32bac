// Paging of a creator's list: the page size and the opaque cursor that continues it.
import { createHash } from 'node:crypto';
import type { PageKey } from '../ports.ts';
import { isLinkCode } from './codes.ts';
import { ValidationError } from './errors.ts';
import { PAGE_SIZE } from './rules.ts';

// `created` exactly as the store writes it (`Date.prototype.toISOString`), so a cursor can only ever
// carry a key the store itself could have produced.
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
// Far above any real cursor (at most about 210 characters); stops oversized input before decoding.
const MAX_CURSOR_LENGTH = 512;

interface CursorPayload {
  /** `created` of the last item shown. */
  c: string;
  /** `link` of the last item shown. */
  l: string;
  /** Whom the cursor was issued to. */
  u: string;
  /** Check over all of the above, so that an edited cursor is refused rather than followed. */
  k: string;
}

/** `limit` from the query string: absent means the default, anything but an integer 1-100 is invalid. */
export function parsePageSize(raw: string | undefined): number {
  if (raw === undefined) return PAGE_SIZE.default;
  const size = /^\d{1,3}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(size >= 1 && size <= PAGE_SIZE.max)) {
    throw new ValidationError(`limit must be an integer from 1 to ${PAGE_SIZE.max}`);
  }
  return size;
}

/**
 * The cursor for the page after `key`, bound to `caller`. The binding and the check turn another
 * user's or an edited cursor into a clear 400. They are digests, not a signature: the real protection
 * is that the store only ever queries the caller's own partition, whatever a cursor says.
 */
export function encodeCursor(key: PageKey, caller: string): string {
  const u = digest(caller);
  const payload: CursorPayload = { c: key.created, l: key.link, u, k: digest(`${u}\n${key.created}\n${key.link}`) };
  return Buffer.from(JSON.stringify(payload)).toString('base64url');
}

/** The page key inside a cursor `caller` was given; a ValidationError for anything else. */
export function decodeCursor(cursor: string, caller: string): PageKey {
  const { c, l, u, k } = parseCursor(cursor);
  if (k !== digest(`${u}\n${c}\n${l}`)) throw new ValidationError('cursor is not valid');
  if (u !== digest(caller)) throw new ValidationError('cursor was issued to another user');
  return { created: c, link: l };
}

function parseCursor(cursor: string): CursorPayload {
  const invalid = new ValidationError('cursor is not valid');
  if (cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH || !BASE64URL.test(cursor)) throw invalid;
  const bytes = Buffer.from(cursor, 'base64url');
  // Only the canonical encoding: otherwise the unused bits of the last character could change unseen.
  if (bytes.toString('base64url') !== cursor) throw invalid;
  let payload: unknown;
  try {
    payload = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw invalid;
  }
  if (typeof payload !== 'object' || payload === null) throw invalid;
  const { c, l, u, k } = payload as Record<string, unknown>;
  if (typeof c !== 'string' || !ISO_TIMESTAMP.test(c) || Number.isNaN(Date.parse(c))) throw invalid;
  if (typeof l !== 'string' || !isLinkCode(l)) throw invalid;
  if (typeof u !== 'string' || typeof k !== 'string') throw invalid;
  return { c, l, u, k };
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, 16);
}

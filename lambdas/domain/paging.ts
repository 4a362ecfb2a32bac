// Paging of a creator's list: the page size and the opaque cursor that continues it.
import { createHash } from 'node:crypto';
import { LIMITS } from '../../lib/definitions.ts';
import type { PageKey } from '../ports.ts';
import { isLinkCode } from './codes.ts';
import { ValidationError } from './errors.ts';

// `created` exactly as the store writes it (`Date.prototype.toISOString`), so a cursor can only ever
// carry a key the store itself could have produced.
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
// Far above any real cursor (about 110 characters); stops oversized input before decoding.
const MAX_CURSOR_LENGTH = 512;

interface CursorPayload {
  c: string;
  l: string;
  u: string;
}

/** `limit` from the query string: absent means the default, anything but an integer 1-100 is invalid. */
export function parsePageSize(raw: string | undefined): number {
  if (raw === undefined) return LIMITS.defaultPageSize;
  const size = /^\d{1,3}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(size >= 1 && size <= LIMITS.maxPageSize)) {
    throw new ValidationError(`limit must be an integer from 1 to ${LIMITS.maxPageSize}`);
  }
  return size;
}

/**
 * The cursor for the page after `key`, bound to `caller`. Binding makes another user's cursor a
 * clear 400 instead of a silent mismatch; it protects nothing by itself, because the store always
 * queries the caller's own partition, whatever the cursor says.
 */
export function encodeCursor(key: PageKey, caller: string): string {
  const payload: CursorPayload = { c: key.created, l: key.link, u: callerBinding(caller) };
  return Buffer.from(JSON.stringify(payload)).toString('base64url');
}

/** The page key inside a cursor `caller` was given; a ValidationError for anything else. */
export function decodeCursor(cursor: string, caller: string): PageKey {
  const payload = parseCursor(cursor);
  if (payload.u !== callerBinding(caller)) throw new ValidationError('cursor was issued to another user');
  return { created: payload.c, link: payload.l };
}

function parseCursor(cursor: string): CursorPayload {
  const invalid = new ValidationError('cursor is not valid');
  if (cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH || !BASE64URL.test(cursor)) throw invalid;
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid;
  }
  if (typeof payload !== 'object' || payload === null) throw invalid;
  const { c, l, u } = payload as Record<string, unknown>;
  if (typeof c !== 'string' || !ISO_TIMESTAMP.test(c) || Number.isNaN(Date.parse(c))) throw invalid;
  if (typeof l !== 'string' || !isLinkCode(l)) throw invalid;
  if (typeof u !== 'string') throw invalid;
  return { c, l, u };
}

function callerBinding(caller: string): string {
  return createHash('sha256').update(caller).digest('base64url').slice(0, 16);
}

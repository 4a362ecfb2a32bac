// The click event that travels through the stream. Kept small, and free of anything that identifies a
// visitor: the redirect classifies the request (bot or person, referrer host, country, device class,
// browser family) before the click is written, so no IP address, User-Agent or full referrer ever
// enters the stream.
import { isVisit, type Visit } from './visit.ts';

export interface ClickEvent {
  /** Format version, so the consumer can tell old records from new ones after a change. */
  v: 1;
  link: string;
  /** ISO-8601 time of the redirect (UTC); its day is the day the click counts on. */
  at: string;
  /**
   * Set by the recorder, shared by every attempt to put this click, so that the consumer can drop a
   * record written twice (an attempt that timed out but still landed, and its retry).
   */
  id?: string;
  /**
   * Which attempt of the recorder wrote this record (1 or 2). A retry, or a first attempt that
   * arrived at least a deadline (less the clock-skew margin) after it was `sent`, may be the second
   * copy of a click; records from before attempts were numbered count as attempt 1.
   */
  attempt?: number;
  /**
   * ISO-8601 time this attempt was sent (after waiting for a free put slot); its deadline runs from
   * here, so the consumer measures "in flight too long" from it. Records without it fall back to `at`.
   */
  sent?: string;
  /**
   * Which incarnation of the code the redirect read: a code deleted and created again is a new link,
   * and clicks on the old one must not count on it. Records written before incarnations had ids carry
   * the link's `created` in a `created` field instead; it decodes to this (a link stored before then
   * has no incarnation id, and its `created` stands for it).
   */
  incarnation?: string;
  /** A visit by a bot (crawler, link previewer, monitor, HTTP library, no User-Agent): counted in `bots`. */
  bot?: true;
  /** What the analytics lists show of a visit by a person; absent for bots and in older records. */
  visit?: Visit;
}

/**
 * The put protocol shared by the producer (the redirect's recorder) and the consumer (its duplicate
 * rule): each attempt to put a click is abandoned at `attemptDeadlineMs` after it was `sent`, and a
 * click gets at most `attempts` attempts. The consumer's look-back is derived from the same deadline,
 * so the two sides cannot disagree. 1 s is well above a healthy PutRecord (tens of milliseconds) and
 * above the 500 ms slow stream of the fault tests, so a slow stream is waited for rather than written
 * twice; a throttled stream answers at once and costs no wait (the SDK does not retry, see
 * `kinesisClient`).
 */
export const CLICK_PUT = { attemptDeadlineMs: 1_000, attempts: 2 } as const;

/** Longest code a click can name: aliases are at most 64 characters; anything longer is not ours. */
const MAX_LINK_LENGTH = 64;
const LINK_PATTERN = /^[A-Za-z0-9_-]+$/;
const ID_PATTERN = /^[A-Za-z0-9-]{1,64}$/;
/** Incarnation ids are UUIDs; older records name an ISO-8601 `created` instead. */
const INCARNATION_PATTERN = /^[A-Za-z0-9:.+-]{1,40}$/;
const MAX_ATTEMPT = 9;
/** `at`, `sent` and legacy `created` are ISO-8601 times. */
const MAX_TIME_LENGTH = 40;

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** A fresh click id: random, so it also serves as a partition key that spreads a hot link over shards. */
export function newClickId(): string {
  return globalThis.crypto.randomUUID();
}

/** A fresh incarnation id for a link being created: random, so two lives of one code never share it. */
export function newIncarnation(): string {
  return globalThis.crypto.randomUUID();
}

export function encodeClick(click: ClickEvent): Uint8Array {
  return encoder.encode(
    JSON.stringify({
      v: click.v,
      link: click.link,
      at: click.at,
      id: click.id,
      attempt: click.attempt,
      sent: click.sent,
      incarnation: click.incarnation,
      bot: click.bot,
      visit: click.visit,
    }),
  );
}

/**
 * Reads a record written by `encodeClick` (or by an earlier version of it). A stream outlives any one
 * version of the code, so anything that is not a well-formed version-1 click gives undefined instead
 * of an exception.
 */
export function decodeClick(data: Uint8Array): ClickEvent | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(decoder.decode(data));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const { v, link, at, id, attempt, sent, incarnation, created, bot, visit } = parsed as Record<string, unknown>;
  if (v !== 1) return undefined;
  if (typeof link !== 'string' || link.length > MAX_LINK_LENGTH || !LINK_PATTERN.test(link)) return undefined;
  if (!isTime(at)) return undefined;
  if (id !== undefined && (typeof id !== 'string' || !ID_PATTERN.test(id))) return undefined;
  if (
    attempt !== undefined &&
    !(Number.isInteger(attempt) && (attempt as number) >= 1 && (attempt as number) <= MAX_ATTEMPT)
  )
    return undefined;
  if (sent !== undefined && !isTime(sent)) return undefined;
  if (incarnation !== undefined && (typeof incarnation !== 'string' || !INCARNATION_PATTERN.test(incarnation)))
    return undefined;
  if (created !== undefined && !isTime(created)) return undefined;
  if (bot !== undefined && bot !== true) return undefined;
  if (visit !== undefined && !isVisit(visit)) return undefined;
  const named = incarnation ?? created;
  return {
    v,
    link,
    at,
    ...(id === undefined ? {} : { id }),
    ...(attempt === undefined ? {} : { attempt: attempt as number }),
    ...(sent === undefined ? {} : { sent }),
    ...(named === undefined ? {} : { incarnation: named as string }),
    ...(bot === true ? { bot } : {}),
    // A bot's visit is never described: the lists are about people.
    ...(visit === undefined || bot === true ? {} : { visit: visit as Visit }),
  };
}

function isTime(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_TIME_LENGTH && !Number.isNaN(Date.parse(value));
}

/** The UTC day (`YYYY-MM-DD`) a click counts on. */
export function clickDay(click: ClickEvent): string {
  return new Date(click.at).toISOString().slice(0, 10);
}

const SEQUENCE_NUMBER_PATTERN = /^[0-9]{1,128}$/;

/** Kinesis sequence numbers are decimal strings of up to 128 digits. */
export function isSequenceNumber(value: string): boolean {
  return SEQUENCE_NUMBER_PATTERN.test(value);
}

/** Numeric order of two sequence numbers, without converting them (they exceed every number type). */
export function compareSequenceNumbers(a: string, b: string): number {
  const x = a.replace(/^0+(?=\d)/, '');
  const y = b.replace(/^0+(?=\d)/, '');
  if (x.length !== y.length) return x.length - y.length;
  return x < y ? -1 : x > y ? 1 : 0;
}

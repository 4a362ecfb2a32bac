// The click event that travels through the stream. Kept tiny: the consumer only needs the code and
// which incarnation of it (its `created`) was visited.
export interface ClickEvent {
  /** Format version, so the consumer can tell old records from new ones after a change. */
  v: 1;
  link: string;
  /** ISO-8601 time of the redirect. */
  at: string;
  /**
   * Set by the recorder, shared by every attempt to put this click, so that the consumer can drop a
   * record written twice (an attempt that timed out but still landed, and its retry).
   */
  id?: string;
  /**
   * Which attempt of the recorder wrote this record (1 or 2). A retry, or a first attempt that
   * arrived at least a deadline (less the clock-skew margin) after it was `sent`, may be the second copy of a click; records from before
   * attempts were numbered count as attempt 1.
   */
  attempt?: number;
  /**
   * ISO-8601 time this attempt was sent (after waiting for a free put slot); its deadline runs from
   * here, so the consumer measures "in flight too long" from it. Records without it fall back to `at`.
   */
  sent?: string;
  /**
   * The `created` of the link the redirect read: a code deleted and created again is a new link,
   * and clicks on the old one must not count on it. Absent in records written before it existed.
   */
  created?: string;
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
const MAX_ATTEMPT = 9;
/** `at`, `sent` and `created` are ISO-8601 times; `created` is compared as a string with the item's, so it is kept as sent. */
const MAX_TIME_LENGTH = 40;

/** Kinesis sequence numbers are decimal strings of up to 128 digits. */
export const SEQUENCE_NUMBER_DIGITS = 128;
const SEQUENCE_NUMBER_PATTERN = /^[0-9]{1,128}$/;

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export function clickEvent(link: string, at: Date = new Date(), created?: string): ClickEvent {
  return created === undefined ? { v: 1, link, at: at.toISOString() } : { v: 1, link, at: at.toISOString(), created };
}

/** A fresh click id: random, so it also serves as a partition key that spreads a hot link over shards. */
export function newClickId(): string {
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
      created: click.created,
    }),
  );
}

/**
 * Reads a record written by `encodeClick`. A stream outlives any one version of the code, so
 * anything that is not a well-formed version-1 click gives undefined instead of an exception.
 */
export function decodeClick(data: Uint8Array): ClickEvent | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(decoder.decode(data));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const { v, link, at, id, attempt, sent, created } = parsed as Record<string, unknown>;
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
  // Records from before clicks carried `created` decode without it and apply to whatever link exists.
  if (created !== undefined && !isTime(created)) return undefined;
  return {
    v,
    link,
    at,
    ...(id === undefined ? {} : { id }),
    ...(attempt === undefined ? {} : { attempt: attempt as number }),
    ...(sent === undefined ? {} : { sent }),
    ...(created === undefined ? {} : { created }),
  };
}

function isTime(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_TIME_LENGTH && !Number.isNaN(Date.parse(value));
}

/**
 * Left-pads a sequence number with zeros so that comparing the strings (as DynamoDB does for
 * condition expressions) gives the same order as comparing the numbers. Undefined when the input
 * is not a Kinesis sequence number.
 */
export function padSequenceNumber(sequenceNumber: string): string | undefined {
  if (!SEQUENCE_NUMBER_PATTERN.test(sequenceNumber)) return undefined;
  return sequenceNumber.padStart(SEQUENCE_NUMBER_DIGITS, '0');
}

/** The form a sequence number is reported back to Lambda in: without the padding. */
export function unpadSequenceNumber(padded: string): string {
  return padded.replace(/^0+(?=\d)/, '');
}

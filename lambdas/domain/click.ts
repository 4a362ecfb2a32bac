// The click event that travels through the stream. Kept tiny: the consumer only needs the code.
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
}

/** Longest code a click can name: aliases are at most 64 characters; anything longer is not ours. */
const MAX_LINK_LENGTH = 64;
const LINK_PATTERN = /^[A-Za-z0-9_-]+$/;
const ID_PATTERN = /^[A-Za-z0-9-]{1,64}$/;

/** Kinesis sequence numbers are decimal strings of up to 128 digits. */
export const SEQUENCE_NUMBER_DIGITS = 128;
const SEQUENCE_NUMBER_PATTERN = /^[0-9]{1,128}$/;

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export function clickEvent(link: string, at: Date = new Date()): ClickEvent {
  return { v: 1, link, at: at.toISOString() };
}

/** A fresh click id: random, so it also serves as a partition key that spreads a hot link over shards. */
export function newClickId(): string {
  return globalThis.crypto.randomUUID();
}

export function encodeClick(click: ClickEvent): Uint8Array {
  return encoder.encode(JSON.stringify({ v: click.v, link: click.link, at: click.at, id: click.id }));
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
  const { v, link, at, id } = parsed as Record<string, unknown>;
  if (v !== 1) return undefined;
  if (typeof link !== 'string' || link.length > MAX_LINK_LENGTH || !LINK_PATTERN.test(link)) return undefined;
  if (typeof at !== 'string' || Number.isNaN(Date.parse(at))) return undefined;
  if (id === undefined) return { v, link, at };
  if (typeof id !== 'string' || !ID_PATTERN.test(id)) return undefined;
  return { v, link, at, id };
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

// Per-shard high-water marks as the counter items store them. DynamoDB compares strings, not numbers,
// in condition expressions, so a mark is a sequence number left-padded to Kinesis' 128 digits: string
// order is then numeric order. The padding lives here and nowhere else; the rest of the code passes
// sequence numbers as Kinesis wrote them.
import { LINKS_TABLE } from '../declarations/storage.ts';
import type { CountedClick, Ledger } from '../ports.ts';

const SEQUENCE_NUMBER_DIGITS = 128;

export function padSequenceNumber(sequenceNumber: string): string {
  return sequenceNumber.padStart(SEQUENCE_NUMBER_DIGITS, '0');
}

export function unpadSequenceNumber(padded: string): string {
  return padded.replace(/^0+(?=\d)/, '');
}

/** `applied:<shardId>` (counted from the stream) or `forced:<shardId>` (re-added by an operator). */
export function markAttribute(shardId: string, ledger: Ledger = 'stream'): string {
  const prefix = ledger === 'stream' ? LINKS_TABLE.appliedSequencePrefix : LINKS_TABLE.forcedSequencePrefix;
  return `${prefix}${shardId}`;
}

/** The clicks of an update as the conditions need them: first and last padded, and those above a mark. */
export interface PaddedClicks {
  first: string;
  last: string;
  above(mark: string | undefined): CountedClick[];
}

export function paddedClicks(clicks: readonly CountedClick[]): PaddedClicks | undefined {
  const first = clicks[0];
  const last = clicks.at(-1);
  if (first === undefined || last === undefined) return undefined;
  return {
    first: padSequenceNumber(first.sequenceNumber),
    last: padSequenceNumber(last.sequenceNumber),
    above: (mark) =>
      mark === undefined ? [...clicks] : clicks.filter((click) => padSequenceNumber(click.sequenceNumber) > mark),
  };
}

/** A bounded number of rounds: a write can only race another writer of the same item (another shard, a replay). */
export const MAX_CATCH_UP_ROUNDS = 5;

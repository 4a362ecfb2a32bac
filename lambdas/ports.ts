// Ports: what the domain needs from the outside world. Adapters in `lambdas/adapters/` implement
// them for DynamoDB and Kinesis; tests pass in-memory fakes. Nothing here imports AWS.
import type { ClickEvent } from './domain/click.ts';

/** A stored short link as the domain sees it. */
export interface LinkRecord {
  link: string;
  url: string;
  creator: string;
  created: string;
  count: number;
}

/** Position in a creator's newest-first list: the last item of the previous page. */
export interface PageKey {
  created: string;
  link: string;
}

export interface LinkPage {
  items: LinkRecord[];
  /** Present when more items may follow. */
  next?: PageKey;
}

/** What the redirect needs of a link: where it goes, and which incarnation of the code it is. */
export interface LinkTarget {
  url: string;
  /** Creation time; tells a re-created code (deleted, then created again) from the one before. */
  created: string;
}

export interface LinkStore {
  /** Stores a new link unless the code is taken; never overwrites. */
  create(record: LinkRecord): Promise<'created' | 'taken'>;
  /** The destination and creation time of a code, in one read; undefined when unknown. */
  findTarget(link: string): Promise<LinkTarget | undefined>;
  /** The creator's links, newest first, strictly after `after` when given. */
  listByCreator(creator: string, limit: number, after?: PageKey): Promise<LinkPage>;
  /** Deletes the link only when `creator` created it; false when unknown or someone else's. */
  deleteOwned(link: string, creator: string): Promise<boolean>;
}

/** Writes one click to the stream (the Kinesis adapter). */
export interface ClickSink {
  /** `signal` aborts the write when its deadline passes, so a given-up put cannot land later as a duplicate. */
  put(click: ClickEvent, signal?: AbortSignal): Promise<void>;
}

/**
 * Takes clicks from the redirect without making it wait: `record` starts the write and returns at
 * once; `flush` resolves when every started write has finished, been retried or been given up.
 */
export interface ClickRecorder {
  record(click: ClickEvent): void;
  flush(): Promise<void>;
}

/**
 * One link's share of a delivered batch: `clicks` clicks whose sequence numbers on `shardId`
 * are `sequenceNumbers` (ascending, zero-padded so that string order is numeric order).
 */
export interface CounterUpdate {
  link: string;
  shardId: string;
  sequenceNumbers: string[];
  /**
   * The `created` of the link incarnation the clicks were made on; the update applies only to that
   * incarnation. Absent for clicks recorded before clicks carried it: those apply to whatever exists.
   */
  created?: string;
}

/** Where the consumer looks for an earlier copy of a click, beyond the batch it holds. */
export interface ClickHistoryQuery {
  /** The stream, as the event source names it (its ARN). */
  stream: string;
  shardId: string;
  /** The clicks looked for, all at once: one read of the shard answers a whole batch. */
  clickIds: ReadonlySet<string>;
  /** No copy can have arrived before this. */
  since: Date;
  /** Only records before this sequence number (unpadded) are looked at. */
  beforeSequence: string;
}

export interface ClickHistory {
  /**
   * When each of `clickIds` first arrived in a record of the shard at or after `since` and before
   * `beforeSequence`; a click without such a record is absent from the map.
   */
  earlierCopies(query: ClickHistoryQuery): Promise<Map<string, Date>>;
}

export type CounterOutcome = 'applied' | 'already-applied' | 'link-gone';

export interface CounterStore {
  /**
   * Adds the clicks of `update` that are above the link's high-water mark for the shard, and raises
   * the mark, in one conditional write; never creates a missing (deleted) link, and never adds to a
   * link whose `created` differs from the update's (a re-created code is a different link).
   */
  apply(update: CounterUpdate): Promise<CounterOutcome>;
}

/** Minimal structured logger; Lambda writes JSON lines, tests capture them. */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

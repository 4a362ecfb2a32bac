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
  /** ISO-8601 instant (UTC, milliseconds) from which the link answers 410; absent when it never expires. */
  expiresAt?: string;
  /** Set while an operator has taken the link down. */
  disabled?: Takedown;
}

/** An operator's takedown of a link: who, why and when. */
export interface Takedown {
  by: string;
  reason: string;
  at: string;
}

/** What an edit changes: a new destination, a new expiry, or `null` to remove the expiry. */
export interface LinkChanges {
  url?: string;
  expiresAt?: string | null;
}

/** Why an owner's write to a link did not happen. */
export type OwnedWriteRefusal = 'not-found' | 'disabled';

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
  /** From this ISO-8601 instant on, the link answers 410. */
  expiresAt?: string;
  /** Taken down by an operator: answers 410. */
  disabled?: boolean;
}

export interface LinkStore {
  /**
   * Stores a new link unless the code is taken; never overwrites a link. A code retired by deleting
   * its link is taken for everyone but the link's creator (unless an operator had disabled it).
   */
  create(record: LinkRecord): Promise<'created' | 'taken'>;
  /** Whether `create` would succeed for `creator` right now (a read, for dry runs). */
  isAvailable(link: string, creator: string): Promise<boolean>;
  /** The destination, creation time and state of a code, in one read; undefined when unknown or retired. */
  findTarget(link: string): Promise<LinkTarget | undefined>;
  /** A live link (not a retired code), whoever created it; undefined when unknown or retired. */
  get(link: string): Promise<LinkRecord | undefined>;
  /** The creator's links, newest first, strictly after `after` when given. */
  listByCreator(creator: string, limit: number, after?: PageKey): Promise<LinkPage>;
  /** Applies `changes` to the link only when `creator` created it and no operator disabled it. */
  updateOwned(link: string, creator: string, changes: LinkChanges): Promise<LinkRecord | OwnedWriteRefusal>;
  /**
   * Deletes the link only when `creator` created it, leaving the code retired: reserved for its
   * creator. False when unknown or someone else's.
   */
  deleteOwned(link: string, creator: string, at: string): Promise<boolean>;
  /** An operator's takedown (`takedown`) or its lifting (`undefined`); undefined when the link is unknown. */
  setTakedown(link: string, takedown: Takedown | undefined): Promise<LinkRecord | undefined>;
}

/**
 * Counters with a ceiling (per-user quotas and request rates): one item per counter, raised by
 * conditional writes so that no two requests can both take the last unit.
 */
export interface UsageCounters {
  /**
   * Adds up to `amount` to the counter `name` without passing `limit`, and returns how much it added
   * (0 when the counter is full). `expiresAt` lets the store forget the counter after its period.
   */
  take(name: string, amount: number, limit: number, expiresAt: Date): Promise<number>;
  /** Gives back `amount` taken earlier (a taken alias, a failed write). */
  giveBack(name: string, amount: number): Promise<void>;
  /** The counter's value (0 when it was never raised). */
  peek(name: string): Promise<number>;
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

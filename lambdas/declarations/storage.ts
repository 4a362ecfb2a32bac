// The links table's schema: key, index and attribute names, and the per-day analytics items that share
// the table. The CDK stack and local mode create the table from it; the DynamoDB adapters (and only
// they) read and write by it.

export const LINKS_TABLE = {
  partitionKey: { name: 'link', type: 'S' },
  creatorIndex: {
    name: 'byCreator',
    partitionKey: { name: 'creator', type: 'S' },
    sortKey: { name: 'created', type: 'S' },
    // Only what a list page shows; the per-shard high-water marks stay out of the index. Day items
    // have no `creator`, so they never enter it.
    nonKeyAttributes: ['url', 'count', 'bots', 'expiresAt', 'disabledBy', 'disabledReason', 'disabledAt'],
  },
  attributes: {
    link: 'link',
    url: 'url',
    /** Visits by people. `count` is a DynamoDB reserved word: always aliased. */
    count: 'count',
    /** Visits by bots. */
    bots: 'bots',
    creator: 'creator',
    created: 'created',
    /** Random id of this life of the code; links stored before it existed are told apart by `created`. */
    incarnation: 'incarnation',
    /** ISO-8601 instant from which the link answers 410; absent when it never expires. */
    expiresAt: 'expiresAt',
    /** An operator's takedown: who, why, when. Present only while the link is disabled. */
    disabledBy: 'disabledBy',
    disabledReason: 'disabledReason',
    disabledAt: 'disabledAt',
    /**
     * A deleted link leaves a retired code: an item with only the key, `retiredBy` (its creator, who
     * alone may create the code again) and `retiredAt`. Having no `creator`, it is not in the index.
     */
    retiredBy: 'retiredBy',
    retiredAt: 'retiredAt',
    /** Usage counters (quotas, request rates): the count so far. */
    used: 'used',
  },
  /** Prefix of the per-shard attributes holding the highest applied click sequence number. */
  appliedSequencePrefix: 'applied:',
  /** Prefix of the per-shard marks of clicks an operator re-added by hand (replay `--add-overtaken`). */
  forcedSequencePrefix: 'forced:',
  /**
   * Key prefix of usage counters (`~usage/<what>/<user>/<period>`). Codes are `A-Z a-z 0-9 - _`, so
   * no counter can ever share a key with a link.
   */
  usageKeyPrefix: '~usage/',
  /**
   * The table's TTL attribute (epoch seconds). Only usage counters and the analytics' day items carry
   * it: links never expire by TTL (an expired link stays in its owner's list), and nothing relies on TTL
   * deleting in time (reads filter on it).
   */
  timeToLiveAttribute: 'purgeAt',
} as const;

/**
 * One item per link incarnation and UTC day, in the links table under its own key: the redirect's
 * item does not grow with history, a re-created code starts from nothing (new incarnation, new keys),
 * and `#` never occurs in a code, so a day key can never be a code.
 */
export const DAY_ITEMS = {
  keySeparator: '#',
  attributes: {
    count: 'count',
    bots: 'bots',
    referrers: 'referrers',
    countries: 'countries',
    devices: 'devices',
    browsers: 'browsers',
    /** Optimistic-concurrency version: every write raises it, a read-merge-write checks it. */
    version: 'version',
  },
  /** Entries kept per list and day; the rest is folded into `other`, so an item stays a few KB at most. */
  maxEntriesPerList: 25,
  /** Days are kept this long after their end, then purged by TTL (and ignored on read). */
  retentionDays: 400,
} as const;

export function dayItemKey(link: string, incarnation: string, day: string): string {
  const separator = DAY_ITEMS.keySeparator;
  return `${link}${separator}${incarnation}${separator}${day}`;
}

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
    nonKeyAttributes: ['url', 'count', 'bots'],
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
  },
  /** Prefix of the per-shard attributes holding the highest applied click sequence number. */
  appliedSequencePrefix: 'applied:',
  /** Prefix of the per-shard marks of clicks an operator re-added by hand (replay `--add-overtaken`). */
  forcedSequencePrefix: 'forced:',
  /**
   * The table's TTL attribute (epoch seconds). Only day items carry it: links never expire by TTL
   * (an expired link stays in its owner's list), and TTL deletes late, so reads filter on it too.
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

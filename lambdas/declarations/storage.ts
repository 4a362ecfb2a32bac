// The links table's schema: key, index and attribute names. The CDK stack and local mode create the
// table from it; the DynamoDB adapters (and only they) read and write by it.

export const LINKS_TABLE = {
  partitionKey: { name: 'link', type: 'S' },
  creatorIndex: {
    name: 'byCreator',
    partitionKey: { name: 'creator', type: 'S' },
    sortKey: { name: 'created', type: 'S' },
    // Only what a list page shows; the per-shard high-water marks stay out of the index.
    nonKeyAttributes: ['url', 'count', 'expiresAt', 'disabledBy', 'disabledReason', 'disabledAt'],
  },
  attributes: {
    link: 'link',
    url: 'url',
    count: 'count',
    creator: 'creator',
    created: 'created',
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
  /**
   * Key prefix of usage counters (`~usage/<what>/<user>/<period>`). Codes are `A-Z a-z 0-9 - _`, so
   * no counter can ever share a key with a link.
   */
  usageKeyPrefix: '~usage/',
  /**
   * The table's TTL attribute (epoch seconds). Only usage counters (and the click pipeline's day items)
   * carry it: links never expire by TTL (an expired link stays in its owner's list), and nothing relies
   * on TTL deleting in time.
   */
  timeToLiveAttribute: 'purgeAt',
} as const;

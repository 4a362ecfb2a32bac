// The links table's schema: key, index and attribute names. The CDK stack and local mode create the
// table from it; the DynamoDB adapters (and only they) read and write by it.

export const LINKS_TABLE = {
  partitionKey: { name: 'link', type: 'S' },
  creatorIndex: {
    name: 'byCreator',
    partitionKey: { name: 'creator', type: 'S' },
    sortKey: { name: 'created', type: 'S' },
    // Only what a list page shows; the per-shard high-water marks stay out of the index.
    nonKeyAttributes: ['url', 'count'],
  },
  attributes: {
    link: 'link',
    url: 'url',
    count: 'count',
    creator: 'creator',
    created: 'created',
  },
  /** Prefix of the per-shard attributes holding the highest applied click sequence number. */
  appliedSequencePrefix: 'applied:',
} as const;

import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { LINKS_TABLE } from '../declarations/storage.ts';
import type { CounterOutcome, CounterStore, CounterUpdate } from '../ports.ts';

/** A retried write can only race another writer of the same shard mark (a replay next to the live consumer). */
const MAX_CATCH_UP_ROUNDS = 5;

const NAMES = {
  '#link': LINKS_TABLE.attributes.link,
  // `count` is a DynamoDB reserved word.
  '#count': LINKS_TABLE.attributes.count,
  '#created': LINKS_TABLE.attributes.created,
} as const;

/**
 * Adds a batch's clicks for one link exactly once, without transactions: the item carries, per
 * shard, the highest sequence number already counted (`applied:<shardId>`), and every write is a
 * single conditional UpdateItem that adds the clicks and raises that mark together. An update that
 * names the link's `created` applies only to that incarnation: a code deleted and created again is a
 * new item whose marks start fresh, and clicks made on the old one are dropped, not inherited.
 */
export class DynamoCounterStore implements CounterStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async apply(update: CounterUpdate): Promise<CounterOutcome> {
    const { sequenceNumbers } = update;
    const first = sequenceNumbers[0];
    const last = sequenceNumbers.at(-1);
    if (first === undefined || last === undefined) return 'already-applied';

    // The common case: nothing of this batch counted yet. One write, no read.
    if (await this.tryAdd(update, sequenceNumbers.length, last, { kind: 'below', first })) return 'applied';

    // The condition failed: the link is gone (or is a later incarnation of the code), or a delivery of
    // these records was counted before (wholly, or up to some point when the earlier batch was shorter).
    // A consistent read tells which.
    for (let round = 0; round < MAX_CATCH_UP_ROUNDS; round++) {
      const mark = await this.readMark(update);
      if (mark === 'gone') return 'link-gone';
      if (mark !== undefined && mark >= last) return 'already-applied';
      const unseen = mark === undefined ? sequenceNumbers.length : sequenceNumbers.filter((s) => s > mark).length;
      const expected: Expectation = mark === undefined ? { kind: 'absent' } : { kind: 'equals', mark };
      if (await this.tryAdd(update, unseen, last, expected)) return 'applied';
    }
    throw new Error(`counter for ${update.link} on ${update.shardId} kept changing while being updated`);
  }

  private async tryAdd(update: CounterUpdate, clicks: number, last: string, expected: Expectation): Promise<boolean> {
    const markCondition = {
      below: '(attribute_not_exists(#mark) OR #mark < :first)',
      absent: 'attribute_not_exists(#mark)',
      equals: '#mark = :seen',
    }[expected.kind];
    const { created } = update;
    // attribute_exists: an update on a deleted link must not create a new, url-less item.
    // #created: clicks made on an earlier incarnation of the code must not count on this one.
    const linkCondition =
      created === undefined ? 'attribute_exists(#link)' : 'attribute_exists(#link) AND #created = :created';
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { [LINKS_TABLE.partitionKey.name]: update.link },
          UpdateExpression: 'ADD #count :clicks SET #mark = :last',
          ConditionExpression: `${linkCondition} AND ${markCondition}`,
          ExpressionAttributeNames: {
            '#link': NAMES['#link'],
            '#count': NAMES['#count'],
            ...(created === undefined ? {} : { '#created': NAMES['#created'] }),
            '#mark': markAttribute(update.shardId),
          },
          ExpressionAttributeValues: {
            ':clicks': clicks,
            ':last': last,
            ...(created === undefined ? {} : { ':created': created }),
            ...(expected.kind === 'below' ? { ':first': expected.first } : {}),
            ...(expected.kind === 'equals' ? { ':seen': expected.mark } : {}),
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /**
   * The shard's mark after a failed condition. Read strongly consistent, so that it reflects the
   * write that made the condition fail. dynalite ignores ReturnValuesOnConditionCheckFailure, so the
   * failed write itself cannot tell. An item with another `created` than the update names is a later
   * incarnation of the code: for these clicks the link is gone.
   */
  private async readMark(update: CounterUpdate): Promise<string | undefined | 'gone'> {
    const { Item } = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { [LINKS_TABLE.partitionKey.name]: update.link },
        ConsistentRead: true,
        ProjectionExpression: '#link, #created, #mark',
        ExpressionAttributeNames: {
          '#link': NAMES['#link'],
          '#created': NAMES['#created'],
          '#mark': markAttribute(update.shardId),
        },
      }),
    );
    if (!Item) return 'gone';
    if (update.created !== undefined && Item[NAMES['#created']] !== update.created) return 'gone';
    const mark = Item[markAttribute(update.shardId)];
    return typeof mark === 'string' ? mark : undefined;
  }
}

type Expectation = { kind: 'below'; first: string } | { kind: 'absent' } | { kind: 'equals'; mark: string };

export function markAttribute(shardId: string): string {
  return `${LINKS_TABLE.appliedSequencePrefix}${shardId}`;
}

import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { LINKS_TABLE } from '../declarations/storage.ts';
import type { CountedClick, CounterOutcome, CounterStore, CounterUpdate, Ledger } from '../ports.ts';
import { namesIncarnation } from './link-item.ts';
import { MAX_CATCH_UP_ROUNDS, markAttribute, paddedClicks, unpadSequenceNumber } from './sequence-marks.ts';

const A = LINKS_TABLE.attributes;

/**
 * Adds a batch's clicks for one link exactly once, without transactions: the item carries, per shard,
 * the highest sequence number already counted (`applied:<shardId>`), and every write is a single
 * conditional UpdateItem that adds the clicks (people to `count`, bots to `bots`) and raises that mark
 * together. An update that names an incarnation applies only to that life of the code: a code deleted
 * and created again is a new item whose marks start fresh, and clicks made on the old one are dropped.
 */
export class DynamoCounterStore implements CounterStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async apply(update: CounterUpdate, ledger: Ledger = 'stream'): Promise<CounterOutcome> {
    const clicks = paddedClicks(update.clicks);
    if (clicks === undefined) return { kind: 'already-applied', mark: '' };
    const mark = markAttribute(update.shardId, ledger);

    // The common case: nothing of this batch counted yet. One write, no read.
    if (await this.tryAdd(update, mark, update.clicks, clicks.last, { kind: 'below', first: clicks.first })) {
      return { kind: 'applied' };
    }
    // The condition failed: the link is gone (or is another incarnation of the code), or a delivery of
    // these records was counted before (wholly, or up to some point when the earlier batch was shorter).
    // A consistent read tells which.
    for (let round = 0; round < MAX_CATCH_UP_ROUNDS; round++) {
      const seen = await this.readMark(update, mark);
      if (seen === 'gone') return { kind: 'link-gone' };
      if (seen !== undefined && seen >= clicks.last)
        return { kind: 'already-applied', mark: unpadSequenceNumber(seen) };
      const expected: Expectation = seen === undefined ? { kind: 'absent' } : { kind: 'equals', mark: seen };
      if (await this.tryAdd(update, mark, clicks.above(seen), clicks.last, expected)) return { kind: 'applied' };
    }
    throw new Error(`counter for ${update.link} on ${update.shardId} kept changing while being updated`);
  }

  private async tryAdd(
    update: CounterUpdate,
    mark: string,
    clicks: readonly CountedClick[],
    last: string,
    expected: Expectation,
  ): Promise<boolean> {
    const markCondition = {
      below: '(attribute_not_exists(#mark) OR #mark < :first)',
      absent: 'attribute_not_exists(#mark)',
      equals: '#mark = :seen',
    }[expected.kind];
    const { incarnation } = update;
    const bots = clicks.filter((click) => click.bot).length;
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { [LINKS_TABLE.partitionKey.name]: update.link },
          UpdateExpression: 'ADD #count :people, #bots :bots SET #mark = :last',
          // attribute_exists(url): an update on a deleted link must not create a new, url-less item, nor count on
          // whatever else may hold the code's key (a deleted code's tombstone has no destination).
          ConditionExpression: `${incarnation === undefined ? 'attribute_exists(#url)' : INCARNATION_CONDITION} AND ${markCondition}`,
          ExpressionAttributeNames: {
            '#url': A.url,
            '#count': A.count,
            '#bots': A.bots,
            '#mark': mark,
            ...(incarnation === undefined ? {} : { '#incarnation': A.incarnation, '#created': A.created }),
          },
          ExpressionAttributeValues: {
            ':people': clicks.length - bots,
            ':bots': bots,
            ':last': last,
            ...(incarnation === undefined ? {} : { ':incarnation': incarnation }),
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
   * write that made the condition fail (dynalite ignores ReturnValuesOnConditionCheckFailure, so the
   * failed write itself cannot tell). An item of another incarnation than the update names is a later
   * life of the code: for these clicks the link is gone.
   */
  private async readMark(update: CounterUpdate, mark: string): Promise<string | undefined | 'gone'> {
    const { Item } = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { [LINKS_TABLE.partitionKey.name]: update.link },
        ConsistentRead: true,
        ProjectionExpression: '#url, #created, #incarnation, #mark',
        ExpressionAttributeNames: {
          '#url': A.url,
          '#created': A.created,
          '#incarnation': A.incarnation,
          '#mark': mark,
        },
      }),
    );
    if (typeof Item?.[A.url] !== 'string') return 'gone';
    if (update.incarnation !== undefined && !namesIncarnation(Item, update.incarnation)) return 'gone';
    const value = Item[mark];
    return typeof value === 'string' ? value : undefined;
  }
}

/**
 * A link stored before links had an incarnation id is named by its `created`, and so are clicks recorded
 * before clicks carried the id (a redirect of the previous version, during a deploy).
 */
const INCARNATION_CONDITION = 'attribute_exists(#url) AND (#incarnation = :incarnation OR #created = :incarnation)';

type Expectation = { kind: 'below'; first: string } | { kind: 'absent' } | { kind: 'equals'; mark: string };

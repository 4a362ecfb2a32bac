// LinkStore on the links table. Key, index and attribute names come from `LINKS_TABLE`, the same
// definitions the CDK stack and local mode create the table from.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { LINKS_TABLE } from '../declarations/storage.ts';
import { newIncarnation } from '../domain/click.ts';
import type { LinkPage, LinkRecord, LinkStore, LinkTarget, PageKey } from '../ports.ts';
import { incarnationOf } from './link-item.ts';

const { attributes: A, creatorIndex } = LINKS_TABLE;

export class DynamoLinkStore implements LinkStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(record: LinkRecord): Promise<'created' | 'taken'> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            [A.link]: record.link,
            [A.url]: record.url,
            [A.creator]: record.creator,
            [A.created]: record.created,
            [A.count]: 0,
            [A.bots]: 0,
            // Drawn for every new link, so clicks made on an earlier life of the code never count on this one.
            [A.incarnation]: newIncarnation(),
          },
          ConditionExpression: 'attribute_not_exists(#link)',
          ExpressionAttributeNames: { '#link': A.link },
        }),
      );
      return 'created';
    } catch (error) {
      if (isConditionFailure(error)) return 'taken';
      throw error;
    }
  }

  async findTarget(link: string): Promise<LinkTarget | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { [A.link]: link },
        // The incarnation rides along in the same read: clicks carry it so that they count only on this
        // life of the code (`created` names links stored before incarnations had ids).
        ProjectionExpression: '#url, #incarnation, #created',
        ExpressionAttributeNames: { '#url': A.url, '#incarnation': A.incarnation, '#created': A.created },
      }),
    );
    const url = Item?.[A.url];
    const incarnation = Item ? incarnationOf(Item) : undefined;
    return typeof url === 'string' && incarnation !== undefined ? { url, incarnation } : undefined;
  }

  async listByCreator(creator: string, limit: number, after?: PageKey): Promise<LinkPage> {
    const { Items = [], LastEvaluatedKey } = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: creatorIndex.name,
        KeyConditionExpression: '#creator = :creator',
        ExpressionAttributeNames: {
          '#creator': A.creator,
          '#created': A.created,
          '#link': A.link,
          '#url': A.url,
          '#count': A.count,
          '#bots': A.bots,
        },
        ExpressionAttributeValues: { ':creator': creator },
        ProjectionExpression: '#link, #url, #creator, #created, #count, #bots',
        ScanIndexForward: false,
        // One extra item tells whether another page exists; LastEvaluatedKey alone can promise an
        // empty page (dynalite sets it when exactly `limit` items were left).
        Limit: limit + 1,
        // Built from the caller's own partition, so no cursor can ever reach another creator's items.
        ExclusiveStartKey: after && {
          [A.creator]: creator,
          [A.created]: after.created,
          [A.link]: after.link,
        },
      }),
    );
    const items = Items.slice(0, limit).map(toRecord);
    const last = items.at(-1);
    // More items than asked for, or a read that stopped early (1 MB) with items still to come.
    const more = Items.length > limit || LastEvaluatedKey !== undefined;
    return more && last ? { items, next: { created: last.created, link: last.link } } : { items };
  }

  async deleteOwned(link: string, creator: string): Promise<boolean> {
    try {
      await this.doc.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { [A.link]: link },
          // Fails for a missing item too, so unknown and someone else's look the same.
          ConditionExpression: '#creator = :caller',
          ExpressionAttributeNames: { '#creator': A.creator },
          ExpressionAttributeValues: { ':caller': creator },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}

function toRecord(item: Record<string, unknown>): LinkRecord {
  const count = item[A.count];
  const bots = item[A.bots];
  return {
    link: String(item[A.link]),
    url: String(item[A.url]),
    creator: String(item[A.creator]),
    created: String(item[A.created]),
    // Counts are whole numbers; a missing one (never set) is zero.
    count: typeof count === 'number' ? count : 0,
    bots: typeof bots === 'number' ? bots : 0,
  };
}

function isConditionFailure(error: unknown): boolean {
  return (
    error instanceof ConditionalCheckFailedException ||
    (error instanceof Error && error.name === 'ConditionalCheckFailedException')
  );
}

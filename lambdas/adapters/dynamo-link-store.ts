// LinkStore on the links table. Key, index and attribute names come from `LINKS_TABLE`, the same
// definitions the CDK stack and local mode create the table from. Every change is one conditional
// single-item write (dynalite has no transactions): the condition is what keeps owners, retired
// codes and takedowns apart.
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { LINKS_TABLE } from '../declarations/storage.ts';
import type {
  LinkChanges,
  LinkPage,
  LinkRecord,
  LinkStore,
  LinkTarget,
  OwnedWriteRefusal,
  PageKey,
  Takedown,
} from '../ports.ts';
import { isConditionFailure } from './dynamo-errors.ts';
import { LINK_TARGET_PROJECTION, linkTargetOf } from './link-target-read.ts';

const { attributes: A, creatorIndex } = LINKS_TABLE;

/** Every attribute of a live link that the domain reads, as `#name` placeholders. */
const RECORD_NAMES = {
  '#link': A.link,
  '#url': A.url,
  '#creator': A.creator,
  '#created': A.created,
  '#count': A.count,
  '#expiresAt': A.expiresAt,
  '#disabledBy': A.disabledBy,
  '#disabledReason': A.disabledReason,
  '#disabledAt': A.disabledAt,
} as const;
const RECORD_PROJECTION = Object.keys(RECORD_NAMES).join(', ');

/** Rounds of "write, else read why and write again" before giving up on a link that keeps changing. */
const MAX_ROUNDS = 3;

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
            ...(record.expiresAt === undefined ? {} : { [A.expiresAt]: record.expiresAt }),
          },
          // Free, or retired by this very creator (and not taken down before it was deleted).
          ConditionExpression:
            'attribute_not_exists(#link) OR (#retiredBy = :creator AND attribute_not_exists(#disabledAt))',
          ExpressionAttributeNames: { '#link': A.link, '#retiredBy': A.retiredBy, '#disabledAt': A.disabledAt },
          ExpressionAttributeValues: { ':creator': record.creator },
        }),
      );
      return 'created';
    } catch (error) {
      if (isConditionFailure(error)) return 'taken';
      throw error;
    }
  }

  async isAvailable(link: string, creator: string): Promise<boolean> {
    const { Item } = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { [A.link]: link },
        ConsistentRead: true,
        ProjectionExpression: '#link, #retiredBy, #disabledAt',
        ExpressionAttributeNames: { '#link': A.link, '#retiredBy': A.retiredBy, '#disabledAt': A.disabledAt },
      }),
    );
    return Item === undefined || (Item[A.retiredBy] === creator && Item[A.disabledAt] === undefined);
  }

  async findTarget(link: string): Promise<LinkTarget | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: { [A.link]: link }, ...LINK_TARGET_PROJECTION }),
    );
    return linkTargetOf((attribute) => {
      const value = Item?.[attribute];
      return typeof value === 'string' ? value : undefined;
    });
  }

  async get(link: string): Promise<LinkRecord | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { [A.link]: link },
        // Read-your-writes: an owner looking at a link just edited sees the edit.
        ConsistentRead: true,
        ProjectionExpression: RECORD_PROJECTION,
        ExpressionAttributeNames: RECORD_NAMES,
      }),
    );
    return Item === undefined || typeof Item[A.creator] !== 'string' ? undefined : toRecord(Item);
  }

  async listByCreator(creator: string, limit: number, after?: PageKey): Promise<LinkPage> {
    const { Items = [], LastEvaluatedKey } = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: creatorIndex.name,
        KeyConditionExpression: '#creator = :creator',
        ExpressionAttributeNames: RECORD_NAMES,
        ExpressionAttributeValues: { ':creator': creator },
        ProjectionExpression: RECORD_PROJECTION,
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

  async updateOwned(link: string, creator: string, changes: LinkChanges): Promise<LinkRecord | OwnedWriteRefusal> {
    const set: string[] = [];
    const remove: string[] = [];
    const names: Record<string, string> = { '#creator': A.creator, '#disabledAt': A.disabledAt };
    const values: Record<string, unknown> = { ':caller': creator };
    if (changes.url !== undefined) {
      set.push('#url = :url');
      names['#url'] = A.url;
      values[':url'] = changes.url;
    }
    if (changes.expiresAt !== undefined) {
      names['#expiresAt'] = A.expiresAt;
      if (changes.expiresAt === null) remove.push('#expiresAt');
      else {
        set.push('#expiresAt = :expiresAt');
        values[':expiresAt'] = changes.expiresAt;
      }
    }
    try {
      const { Attributes } = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { [A.link]: link },
          UpdateExpression: [
            set.length ? `SET ${set.join(', ')}` : '',
            remove.length ? `REMOVE ${remove.join(', ')}` : '',
          ]
            .filter(Boolean)
            .join(' '),
          // Fails for a missing item or a retired code too (no creator), so unknown and someone else's look the same.
          ConditionExpression: '#creator = :caller AND attribute_not_exists(#disabledAt)',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return toRecord(Attributes ?? {});
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    // dynalite ignores ReturnValuesOnConditionCheckFailure: a consistent read tells why.
    const owned = await this.ownedState(link, creator);
    return owned?.disabledAt !== undefined ? 'disabled' : 'not-found';
  }

  async deleteOwned(link: string, creator: string, at: string): Promise<boolean> {
    // One conditional PutItem replaces the whole item, so nothing of the link (counts, marks,
    // expiry) survives into the retired code. A takedown does survive: the code stays blocked.
    let takedown: Record<string, unknown> = {};
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const disabledAt = takedown[A.disabledAt];
      try {
        await this.doc.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { [A.link]: link, [A.retiredBy]: creator, [A.retiredAt]: at, ...takedown },
            ConditionExpression:
              disabledAt === undefined
                ? '#creator = :caller AND attribute_not_exists(#disabledAt)'
                : '#creator = :caller AND #disabledAt = :disabledAt',
            ExpressionAttributeNames: { '#creator': A.creator, '#disabledAt': A.disabledAt },
            ExpressionAttributeValues: {
              ':caller': creator,
              ...(disabledAt === undefined ? {} : { ':disabledAt': disabledAt }),
            },
          }),
        );
        return true;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
      const owned = await this.ownedState(link, creator);
      if (owned === undefined) return false;
      takedown = owned;
    }
    throw new Error(`link ${link} kept changing while being deleted`);
  }

  async setTakedown(link: string, takedown: Takedown | undefined): Promise<LinkRecord | undefined> {
    try {
      const { Attributes } = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { [A.link]: link },
          UpdateExpression: takedown
            ? 'SET #disabledBy = :by, #disabledReason = :reason, #disabledAt = :at'
            : 'REMOVE #disabledBy, #disabledReason, #disabledAt',
          // Only a live link: never turns a missing code or a retired one into an item.
          ConditionExpression: 'attribute_exists(#url)',
          ExpressionAttributeNames: {
            '#url': A.url,
            '#disabledBy': A.disabledBy,
            '#disabledReason': A.disabledReason,
            '#disabledAt': A.disabledAt,
          },
          ...(takedown
            ? { ExpressionAttributeValues: { ':by': takedown.by, ':reason': takedown.reason, ':at': takedown.at } }
            : {}),
          ReturnValues: 'ALL_NEW',
        }),
      );
      return toRecord(Attributes ?? {});
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  /** The takedown attributes of `creator`'s live link, read consistently; undefined when not theirs. */
  private async ownedState(link: string, creator: string): Promise<Record<string, unknown> | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { [A.link]: link },
        ConsistentRead: true,
        ProjectionExpression: '#creator, #disabledBy, #disabledReason, #disabledAt',
        ExpressionAttributeNames: {
          '#creator': A.creator,
          '#disabledBy': A.disabledBy,
          '#disabledReason': A.disabledReason,
          '#disabledAt': A.disabledAt,
        },
      }),
    );
    if (Item?.[A.creator] !== creator) return undefined;
    const { [A.creator]: _owner, ...takedown } = Item;
    return takedown;
  }
}

function toRecord(item: Record<string, unknown>): LinkRecord {
  const count = item[A.count];
  const expiresAt = item[A.expiresAt];
  const disabledAt = item[A.disabledAt];
  return {
    link: String(item[A.link]),
    url: String(item[A.url]),
    creator: String(item[A.creator]),
    created: String(item[A.created]),
    // Counts are whole numbers; a missing one (never set) is zero.
    count: typeof count === 'number' ? count : 0,
    ...(typeof expiresAt === 'string' ? { expiresAt } : {}),
    ...(typeof disabledAt === 'string'
      ? { disabled: { by: String(item[A.disabledBy]), reason: String(item[A.disabledReason]), at: disabledAt } }
      : {}),
  };
}

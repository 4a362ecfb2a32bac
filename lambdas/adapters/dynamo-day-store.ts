// Per-day counters in the links table, one item per link incarnation and UTC day (see DAY_ITEMS), and
// the reads of the stats API.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { DAY_ITEMS, dayItemKey, LINKS_TABLE } from '../declarations/storage.ts';
import { addClicks, emptyDay, LISTS, type ListName, VISIT_FIELD } from '../domain/stats.ts';
import type {
  CountedClick,
  CounterOutcome,
  DayCounterStore,
  DayCounts,
  DayUpdate,
  Ledger,
  StatsSubject,
} from '../ports.ts';
import { incarnationOf } from './link-item.ts';
import { MAX_CATCH_UP_ROUNDS, markAttribute, paddedClicks, unpadSequenceNumber } from './sequence-marks.ts';

const KEY = LINKS_TABLE.partitionKey.name;
const D = DAY_ITEMS.attributes;
const DAY_SECONDS = 86_400;
/** BatchGetItem takes at most 100 keys. */
const BATCH_GET_KEYS = 100;
/**
 * Past this many list entries in one update the one-write path is not tried: its expression would be
 * long, and so many entries new to the day are likely anyway.
 */
const MAX_ENTRIES_IN_ONE_WRITE = 40;

type DayOutcome = Exclude<CounterOutcome, { kind: 'link-gone' }>;

/**
 * Exactly once per day item, like the link's counter: a per-shard mark on the item, raised in the same
 * conditional write that adds the clicks. Lists are maps of name → count. When every entry a batch
 * touches already exists on the item (a link's usual referrers and countries), one UpdateItem adds
 * to them in place. Otherwise the item is read, merged with the batch (keeping each list's
 * `maxEntriesPerList` largest entries, the rest in `other`) and written back under a version check,
 * still one write. Every write raises `version`, so a merge never overwrites a concurrent write.
 */
export class DynamoDayStore implements DayCounterStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async apply(update: DayUpdate, ledger: Ledger = 'stream'): Promise<DayOutcome> {
    const clicks = paddedClicks(update.clicks);
    if (clicks === undefined) return { kind: 'already-applied', mark: '' };
    const mark = markAttribute(update.shardId, ledger);
    const key = dayItemKey(update.link, update.incarnation, update.day);
    if (await this.tryAddInPlace(key, update, mark, clicks.first, clicks.last)) return { kind: 'applied' };
    for (let round = 0; round < MAX_CATCH_UP_ROUNDS; round++) {
      const item = await this.readItem(key);
      const seen = typeof item?.[mark] === 'string' ? (item[mark] as string) : undefined;
      if (seen !== undefined && seen >= clicks.last)
        return { kind: 'already-applied', mark: unpadSequenceNumber(seen) };
      if (await this.tryMerge(key, update, item, mark, clicks.above(seen), clicks.last)) return { kind: 'applied' };
    }
    throw new Error(`day ${update.day} of ${update.link} on ${update.shardId} kept changing while being updated`);
  }

  /** One UpdateItem adding to existing entries; false when the mark or a missing entry says otherwise. */
  private async tryAddInPlace(
    key: string,
    update: DayUpdate,
    mark: string,
    first: string,
    last: string,
  ): Promise<boolean> {
    const entries = listEntries(update.clicks);
    if (entries.length > MAX_ENTRIES_IN_ONE_WRITE) return false;
    const names: Record<string, string> = {
      '#count': D.count,
      '#bots': D.bots,
      '#version': D.version,
      '#mark': mark,
      '#purge': LINKS_TABLE.timeToLiveAttribute,
    };
    const values: Record<string, unknown> = {
      ':people': update.clicks.filter((click) => !click.bot).length,
      ':bots': update.clicks.filter((click) => click.bot).length,
      ':one': 1,
      ':last': last,
      ':first': first,
      ':purge': purgeAt(update.day),
    };
    const sets = ['#mark = :last', '#purge = :purge'];
    const conditions = ['(attribute_not_exists(#mark) OR #mark < :first)'];
    entries.forEach(({ list, name, count }, index) => {
      names[`#${list}`] = D[list];
      names[`#e${index}`] = name;
      values[`:e${index}`] = count;
      sets.push(`#${list}.#e${index} = #${list}.#e${index} + :e${index}`);
      conditions.push(`attribute_exists(#${list}.#e${index})`);
    });
    return this.conditionalUpdate({
      TableName: this.tableName,
      Key: { [KEY]: key },
      UpdateExpression: `SET ${sets.join(', ')} ADD #count :people, #bots :bots, #version :one`,
      ConditionExpression: conditions.join(' AND '),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    });
  }

  /** Writes the stored day plus `clicks`, if the item is still the version that was read. */
  private async tryMerge(
    key: string,
    update: DayUpdate,
    item: Record<string, unknown> | undefined,
    mark: string,
    clicks: CountedClick[],
    last: string,
  ): Promise<boolean> {
    const merged = addClicks(toDayCounts(update.day, item), clicks, DAY_ITEMS.maxEntriesPerList);
    const version = typeof item?.[D.version] === 'number' ? (item[D.version] as number) : undefined;
    return this.conditionalUpdate({
      TableName: this.tableName,
      Key: { [KEY]: key },
      UpdateExpression:
        'SET #count = :count, #bots = :bots, #referrers = :referrers, #countries = :countries, #devices = :devices, #browsers = :browsers, #mark = :last, #purge = :purge, #version = :next',
      ConditionExpression:
        item === undefined
          ? 'attribute_not_exists(#key)'
          : version === undefined
            ? 'attribute_not_exists(#version)'
            : '#version = :version',
      ExpressionAttributeNames: {
        ...(item === undefined ? { '#key': KEY } : {}),
        '#count': D.count,
        '#bots': D.bots,
        '#referrers': D.referrers,
        '#countries': D.countries,
        '#devices': D.devices,
        '#browsers': D.browsers,
        '#mark': mark,
        '#purge': LINKS_TABLE.timeToLiveAttribute,
        '#version': D.version,
      },
      ExpressionAttributeValues: {
        ':count': merged.count,
        ':bots': merged.bots,
        ':referrers': merged.referrers,
        ':countries': merged.countries,
        ':devices': merged.devices,
        ':browsers': merged.browsers,
        ':last': last,
        ':purge': purgeAt(update.day),
        ':next': (version ?? 0) + 1,
        ...(version === undefined ? {} : { ':version': version }),
      },
    });
  }

  private async conditionalUpdate(input: UpdateCommandInput): Promise<boolean> {
    try {
      await this.doc.send(new UpdateCommand(input));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  private async readItem(key: string): Promise<Record<string, unknown> | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: { [KEY]: key }, ConsistentRead: true }),
    );
    return Item;
  }

  async subject(link: string): Promise<StatsSubject | undefined> {
    const A = LINKS_TABLE.attributes;
    const { Item } = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { [KEY]: link },
        ProjectionExpression: '#url, #creator, #incarnation, #created',
        ExpressionAttributeNames: {
          '#url': A.url,
          '#creator': A.creator,
          '#incarnation': A.incarnation,
          '#created': A.created,
        },
      }),
    );
    const creator = Item?.[A.creator];
    const incarnation = Item ? incarnationOf(Item) : undefined;
    // Only a link has a destination: whatever else may share its key (a deleted code's tombstone) has no stats.
    const isLink = typeof Item?.[A.url] === 'string';
    return isLink && typeof creator === 'string' && incarnation !== undefined ? { creator, incarnation } : undefined;
  }

  async read(link: string, incarnation: string, days: readonly string[]): Promise<DayCounts[]> {
    const byKey = new Map(days.map((day) => [dayItemKey(link, incarnation, day), day]));
    const keys = [...byKey.keys()];
    const chunks = Array.from({ length: Math.ceil(keys.length / BATCH_GET_KEYS) }, (_, index) =>
      keys.slice(index * BATCH_GET_KEYS, (index + 1) * BATCH_GET_KEYS),
    );
    const items = (await Promise.all(chunks.map((chunk) => this.batchGet(chunk)))).flat();
    const nowSeconds = Math.floor(this.now().getTime() / 1000);
    return items.flatMap((item) => {
      const day = byKey.get(String(item[KEY]));
      const purge = item[LINKS_TABLE.timeToLiveAttribute];
      // TTL deletes up to days late: a purged day reads as no clicks.
      if (day === undefined || (typeof purge === 'number' && purge <= nowSeconds)) return [];
      return [toDayCounts(day, item)];
    });
  }

  /** All of `keys`, following UnprocessedKeys (throttling or the 16 MB limit) until none are left. */
  private async batchGet(keys: string[]): Promise<Record<string, unknown>[]> {
    const found: Record<string, unknown>[] = [];
    let pending: Record<string, unknown>[] = keys.map((key) => ({ [KEY]: key }));
    for (let round = 0; pending.length > 0; round++) {
      if (round >= 10) throw new Error('day items could not all be read');
      const { Responses, UnprocessedKeys } = await this.doc.send(
        new BatchGetCommand({
          RequestItems: {
            [this.tableName]: {
              Keys: pending,
              ProjectionExpression: '#key, #count, #bots, #referrers, #countries, #devices, #browsers, #purge',
              ExpressionAttributeNames: {
                '#key': KEY,
                '#count': D.count,
                '#bots': D.bots,
                '#referrers': D.referrers,
                '#countries': D.countries,
                '#devices': D.devices,
                '#browsers': D.browsers,
                '#purge': LINKS_TABLE.timeToLiveAttribute,
              },
            },
          },
        }),
      );
      found.push(...(Responses?.[this.tableName] ?? []));
      pending = (UnprocessedKeys?.[this.tableName]?.Keys ?? []) as Record<string, unknown>[];
    }
    return found;
  }
}

/** The distinct list entries a batch adds to, with how much. */
function listEntries(clicks: readonly CountedClick[]): { list: ListName; name: string; count: number }[] {
  const counts = new Map<string, { list: ListName; name: string; count: number }>();
  for (const click of clicks) {
    if (click.bot || !click.visit) continue;
    for (const list of LISTS) {
      const name = click.visit[VISIT_FIELD[list]];
      const entry = counts.get(`${list}\n${name}`);
      if (entry) entry.count++;
      else counts.set(`${list}\n${name}`, { list, name, count: 1 });
    }
  }
  return [...counts.values()];
}

/** Epoch seconds at which a day's item may go: the end of the day plus the retention. */
export function purgeAt(day: string): number {
  return Date.parse(`${day}T00:00:00.000Z`) / 1000 + (1 + DAY_ITEMS.retentionDays) * DAY_SECONDS;
}

function toDayCounts(day: string, item: Record<string, unknown> | undefined): DayCounts {
  if (item === undefined) return emptyDay(day);
  const number = (value: unknown) => (typeof value === 'number' ? value : 0);
  const list = (value: unknown): Record<string, number> =>
    typeof value === 'object' && value !== null
      ? Object.fromEntries(Object.entries(value).map(([name, count]) => [name, number(count)]))
      : {};
  return {
    day,
    count: number(item[D.count]),
    bots: number(item[D.bots]),
    referrers: list(item[D.referrers]),
    countries: list(item[D.countries]),
    devices: list(item[D.devices]),
    browsers: list(item[D.browsers]),
  };
}

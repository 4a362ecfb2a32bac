import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoDayStore, purgeAt } from '../../../lambdas/adapters/dynamo-day-store.ts';
import { padSequenceNumber } from '../../../lambdas/adapters/sequence-marks.ts';
import type { DayUpdate } from '../../../lambdas/ports.ts';

const doc = mockClient(DynamoDBDocumentClient);
const NOW = new Date('2026-11-22T10:00:00.000Z');
const store = () => new DynamoDayStore(DynamoDBDocumentClient.from(new DynamoDBClient({})), 'links', () => NOW);
const seq = (n: number) => padSequenceNumber(String(n));
const MARK = 'applied:shardId-000000000001';
const KEY = 'abc#inc-1#2026-11-22';
const visit = { referrer: 'news.example', country: 'DE', device: 'mobile', browser: 'Firefox' } as const;
const update = (...numbers: number[]): DayUpdate => ({
  link: 'abc',
  incarnation: 'inc-1',
  day: '2026-11-22',
  shardId: 'shardId-000000000001',
  // Negative numbers are bots.
  clicks: numbers.map((n) =>
    n < 0 ? { sequenceNumber: String(-n), bot: true } : { sequenceNumber: String(n), bot: false, visit },
  ),
});
const conditionFailed = () => new ConditionalCheckFailedException({ message: 'failed', $metadata: {} });

describe('analytics', () => {
  afterEach(() => doc.reset());

  it('R3.1 R3.3 adds to entries the day item already has in one conditional UpdateItem, raising the shard mark and the version', async () => {
    doc.on(UpdateCommand).resolves({});
    await expect(store().apply(update(5, -6, 7))).resolves.toEqual({ kind: 'applied' });
    expect(doc.calls()).toHaveLength(1);
    expect(doc.commandCalls(UpdateCommand)[0]?.args[0].input).toEqual({
      TableName: 'links',
      Key: { link: KEY },
      UpdateExpression:
        'SET #mark = :last, #purge = :purge, #referrers.#e0 = #referrers.#e0 + :e0, #countries.#e1 = #countries.#e1 + :e1, #devices.#e2 = #devices.#e2 + :e2, #browsers.#e3 = #browsers.#e3 + :e3 ADD #count :people, #bots :bots, #version :one',
      ConditionExpression:
        '(attribute_not_exists(#mark) OR #mark < :first) AND attribute_exists(#referrers.#e0) AND attribute_exists(#countries.#e1) AND attribute_exists(#devices.#e2) AND attribute_exists(#browsers.#e3)',
      ExpressionAttributeNames: {
        '#count': 'count',
        '#bots': 'bots',
        '#version': 'version',
        '#mark': MARK,
        '#purge': 'purgeAt',
        '#referrers': 'referrers',
        '#countries': 'countries',
        '#devices': 'devices',
        '#browsers': 'browsers',
        '#e0': 'news.example',
        '#e1': 'DE',
        '#e2': 'mobile',
        '#e3': 'Firefox',
      },
      ExpressionAttributeValues: {
        ':people': 2,
        ':bots': 1,
        ':one': 1,
        ':last': seq(7),
        ':first': seq(5),
        ':purge': purgeAt('2026-11-22'),
        ':e0': 2,
        ':e1': 2,
        ':e2': 2,
        ':e3': 2,
      },
    });
  });

  it('R3.6 a day item may be purged 400 days after its day ended', () => {
    expect(purgeAt('2026-11-22')).toBe(Date.parse('2027-12-28T00:00:00.000Z') / 1000);
  });

  it('R3.1 R3.5 a new entry (or a new day) is merged into the item read consistently, written back under its version', async () => {
    doc.on(UpdateCommand).rejectsOnce(conditionFailed()).resolves({});
    doc.on(GetCommand).resolves({
      Item: {
        link: KEY,
        count: 3,
        bots: 1,
        version: 4,
        [MARK]: seq(2),
        referrers: { direct: 3 },
        countries: { DE: 3 },
        devices: { mobile: 3 },
        browsers: { Firefox: 3 },
      },
    });
    await expect(store().apply(update(1, 5, -6))).resolves.toEqual({ kind: 'applied' });
    expect(doc.commandCalls(GetCommand)[0]?.args[0].input).toEqual({
      TableName: 'links',
      Key: { link: KEY },
      ConsistentRead: true,
    });
    // Click 1 is below the mark: only 5 and 6 are added.
    expect(doc.commandCalls(UpdateCommand)[1]?.args[0].input).toEqual({
      TableName: 'links',
      Key: { link: KEY },
      UpdateExpression:
        'SET #count = :count, #bots = :bots, #referrers = :referrers, #countries = :countries, #devices = :devices, #browsers = :browsers, #mark = :last, #purge = :purge, #version = :next',
      ConditionExpression: '#version = :version',
      ExpressionAttributeNames: {
        '#count': 'count',
        '#bots': 'bots',
        '#referrers': 'referrers',
        '#countries': 'countries',
        '#devices': 'devices',
        '#browsers': 'browsers',
        '#mark': MARK,
        '#purge': 'purgeAt',
        '#version': 'version',
      },
      ExpressionAttributeValues: {
        ':count': 4,
        ':bots': 2,
        ':referrers': { direct: 3, 'news.example': 1 },
        ':countries': { DE: 4 },
        ':devices': { mobile: 4 },
        ':browsers': { Firefox: 4 },
        ':last': seq(6),
        ':purge': purgeAt('2026-11-22'),
        ':next': 5,
        ':version': 4,
      },
    });
  });

  it('R3.2 adds nothing when the day item has counted the batch already, and says how far its mark is', async () => {
    doc.on(UpdateCommand).rejects(conditionFailed());
    doc.on(GetCommand).resolves({ Item: { link: KEY, version: 1, [MARK]: seq(9) } });
    await expect(store().apply(update(5, 7))).resolves.toEqual({ kind: 'already-applied', mark: '9' });
    expect(doc.commandCalls(UpdateCommand)).toHaveLength(1);
  });

  it('R3.2 creates a missing day item only if it is still missing', async () => {
    doc.on(UpdateCommand).rejectsOnce(conditionFailed()).resolves({});
    doc.on(GetCommand).resolves({});
    await store().apply(update(5));
    const create = doc.commandCalls(UpdateCommand)[1]?.args[0].input;
    expect(create?.ConditionExpression).toBe('attribute_not_exists(#key)');
    expect(create?.ExpressionAttributeNames?.['#key']).toBe('link');
    expect(create?.ExpressionAttributeValues?.[':next']).toBe(1);
  });

  it('R3.5 keeps at most 25 entries per list and day, the rest in other', async () => {
    doc.on(UpdateCommand).rejectsOnce(conditionFailed()).resolves({});
    const referrers = Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`r${i}.example`, 10 + i]));
    doc.on(GetCommand).resolves({ Item: { link: KEY, count: 535, version: 1, referrers } });
    await store().apply(update(5));
    const written = doc.commandCalls(UpdateCommand)[1]?.args[0].input.ExpressionAttributeValues?.[':referrers'];
    expect(Object.keys(written)).toHaveLength(26);
    expect(written).toMatchObject({ other: 1, 'r0.example': 10 });
    expect(written).not.toHaveProperty('news.example');
  });

  it('R4.1 R3.6 reads the days of one incarnation with BatchGetItem, 100 keys a request, following unprocessed keys, ignoring purged days', async () => {
    const days = Array.from({ length: 150 }, (_, i) => new Date(Date.UTC(2026, 5, 26 + i)).toISOString().slice(0, 10));
    let deferred = false;
    doc.on(BatchGetCommand).callsFake((input) => {
      const keys = (input.RequestItems.links.Keys as { link: string }[]).map((key) => key.link);
      const stored: Record<string, Record<string, unknown>> = {
        // Purged: its TTL has passed, DynamoDB just has not deleted it yet.
        [`abc#inc-1#${days[0]}`]: { count: 2, bots: 1, referrers: { direct: 2 }, purgeAt: 1 },
        [`abc#inc-1#${days[1]}`]: { count: 3, bots: 0, purgeAt: 9e9 },
      };
      // The first time it is asked for, day 1 is left unprocessed (throttling).
      const unprocessed = !deferred && keys.includes(`abc#inc-1#${days[1]}`) ? [`abc#inc-1#${days[1]}`] : [];
      if (unprocessed.length > 0) deferred = true;
      return {
        Responses: {
          links: keys
            .filter((key) => stored[key] && !unprocessed.includes(key))
            .map((key) => ({ link: key, ...stored[key] })),
        },
        ...(unprocessed.length > 0
          ? { UnprocessedKeys: { links: { Keys: unprocessed.map((link) => ({ link })) } } }
          : {}),
      };
    });
    const read = await store().read('abc', 'inc-1', days);
    expect(read).toEqual([
      { day: days[1], count: 3, bots: 0, referrers: {}, countries: {}, devices: {}, browsers: {} },
    ]);
    const requests = doc.commandCalls(BatchGetCommand).map((call) => call.args[0].input.RequestItems?.links?.Keys);
    expect(requests.map((keys) => keys?.length)).toEqual([100, 50, 1]);
    expect(requests[0]?.[0]).toEqual({ link: `abc#inc-1#${days[0]}` });
  });

  it('R4.6 reads the owner and incarnation of a link, a link stored before incarnation ids by its created', async () => {
    doc
      .on(GetCommand)
      .resolvesOnce({ Item: { url: 'https://x.example/', creator: 'u1', incarnation: 'inc-1', created: 'c' } })
      .resolvesOnce({ Item: { url: 'https://x.example/', creator: 'u1', created: '2026-01-01T00:00:00.000Z' } })
      // A deleted code's tombstone: no destination, no stats.
      .resolvesOnce({ Item: { creator: 'u1', created: '2026-01-01T00:00:00.000Z' } });
    expect(await store().subject('abc')).toEqual({ creator: 'u1', incarnation: 'inc-1' });
    expect(await store().subject('abc')).toEqual({ creator: 'u1', incarnation: '2026-01-01T00:00:00.000Z' });
    expect(await store().subject('abc')).toBeUndefined();
    expect(doc.commandCalls(GetCommand)[0]?.args[0].input).toEqual({
      TableName: 'links',
      Key: { link: 'abc' },
      ProjectionExpression: '#url, #creator, #incarnation, #created',
      ExpressionAttributeNames: {
        '#url': 'url',
        '#creator': 'creator',
        '#incarnation': 'incarnation',
        '#created': 'created',
      },
    });
  });
});

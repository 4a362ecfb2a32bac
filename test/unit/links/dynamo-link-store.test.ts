import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoLinkStore } from '../../../lambdas/adapters/dynamo-link-store.ts';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const ddb = mockClient(doc);
const store = new DynamoLinkStore(doc, 'links-table');

const conditionFailed = () =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

const record = {
  link: 'abc12345',
  url: 'https://example.com/',
  creator: 'user-a',
  created: '2026-11-22T05:00:00.000Z',
  count: 3,
};

beforeEach(() => ddb.reset());

describe('links-api', () => {
  describe('DynamoLinkStore', () => {
    it('R8.1 R8.2 R8.3 R12.3 creates with one conditional PutItem, count 0, over nothing or its own retired code', async () => {
      ddb.on(PutCommand).resolves({});
      expect(await store.create(record)).toBe('created');
      expect(ddb.calls()).toHaveLength(1);
      expect(ddb.commandCalls(PutCommand)[0]?.args[0].input).toEqual({
        TableName: 'links-table',
        Item: {
          link: 'abc12345',
          url: 'https://example.com/',
          creator: 'user-a',
          created: '2026-11-22T05:00:00.000Z',
          count: 0,
        },
        ConditionExpression:
          'attribute_not_exists(#link) OR (#retiredBy = :creator AND attribute_not_exists(#disabledAt))',
        ExpressionAttributeNames: { '#link': 'link', '#retiredBy': 'retiredBy', '#disabledAt': 'disabledAt' },
        ExpressionAttributeValues: { ':creator': 'user-a' },
      });
    });

    it('R11.1 stores an expiry with the link', async () => {
      ddb.on(PutCommand).resolves({});
      await store.create({ ...record, expiresAt: '2027-01-01T00:00:00.000Z' });
      expect(ddb.commandCalls(PutCommand)[0]?.args[0].input.Item).toMatchObject({
        expiresAt: '2027-01-01T00:00:00.000Z',
      });
    });

    it('R1.4 R1.5 reports a taken code when the condition fails', async () => {
      ddb.on(PutCommand).rejects(conditionFailed());
      expect(await store.create(record)).toBe('taken');
    });

    it('R7.7 lets any other failure through', async () => {
      ddb.on(PutCommand).rejects(new Error('ProvisionedThroughputExceededException'));
      await expect(store.create(record)).rejects.toThrow('ProvisionedThroughputExceededException');
    });

    it('R6.7 R11.4 reads a destination, its created, expiry and takedown with one GetItem', async () => {
      ddb.on(GetCommand).resolves({ Item: { url: 'https://example.com/x', created: '2026-11-22T05:00:00.000Z' } });
      expect(await store.findTarget('abc12345')).toEqual({
        url: 'https://example.com/x',
        created: '2026-11-22T05:00:00.000Z',
      });
      expect(ddb.calls()).toHaveLength(1);
      expect(ddb.commandCalls(GetCommand)[0]?.args[0].input).toEqual({
        TableName: 'links-table',
        Key: { link: 'abc12345' },
        ProjectionExpression: '#url, #created, #expiresAt, #disabledAt',
        ExpressionAttributeNames: {
          '#url': 'url',
          '#created': 'created',
          '#expiresAt': 'expiresAt',
          '#disabledAt': 'disabledAt',
        },
      });
    });

    it('R11.2 public-safety R5.2 reports expiry and takedown to the redirect', async () => {
      ddb.on(GetCommand).resolves({
        Item: { url: 'https://e.example/', created: 'c', expiresAt: '2027-01-01T00:00:00.000Z', disabledAt: 'd' },
      });
      expect(await store.findTarget('abc12345')).toEqual({
        url: 'https://e.example/',
        created: 'c',
        expiresAt: '2027-01-01T00:00:00.000Z',
        disabled: true,
      });
    });

    it('R12.4 treats a retired code (no url, no created) as unknown', async () => {
      ddb.on(GetCommand).resolves({ Item: { retiredBy: 'user-a', retiredAt: 'x' } });
      expect(await store.findTarget('abc12345')).toBeUndefined();
      expect(await store.get('abc12345')).toBeUndefined();
    });

    it('R9.1 reads one link consistently with every attribute the view needs', async () => {
      ddb.on(GetCommand).resolves({
        Item: { ...record, disabledAt: 'at', disabledBy: 'op', disabledReason: 'phishing' },
      });
      expect(await store.get('abc12345')).toEqual({
        ...record,
        disabled: { by: 'op', reason: 'phishing', at: 'at' },
      });
      expect(ddb.commandCalls(GetCommand)[0]?.args[0].input).toEqual({
        TableName: 'links-table',
        Key: { link: 'abc12345' },
        ConsistentRead: true,
        ProjectionExpression:
          '#link, #url, #creator, #created, #count, #expiresAt, #disabledBy, #disabledReason, #disabledAt',
        ExpressionAttributeNames: RECORD_NAMES,
      });
    });

    it.each([
      [undefined, true],
      [{ link: 'abc12345', retiredBy: 'user-a' }, true],
      [{ link: 'abc12345', retiredBy: 'user-b' }, false],
      [{ link: 'abc12345', retiredBy: 'user-a', disabledAt: 'x' }, false],
      [{ link: 'abc12345' }, false],
    ])('R13.5 R12.2 tells whether a code is free for the caller: %j -> %s', async (item, free) => {
      ddb.on(GetCommand).resolves({ Item: item });
      expect(await store.isAvailable('abc12345', 'user-a')).toBe(free);
      expect(ddb.commandCalls(GetCommand)[0]?.args[0].input).toMatchObject({ ConsistentRead: true });
    });

    it('R6.5 returns undefined for an unknown code', async () => {
      ddb.on(GetCommand).resolves({});
      expect(await store.findTarget('nothere')).toBeUndefined();
    });

    it("R4.1 R4.8 R8.2 R8.4 queries the caller's partition of byCreator newest first for limit + 1 items", async () => {
      ddb.on(QueryCommand).resolves({ Items: [] });
      await store.listByCreator('user-a', 20);
      expect(ddb.commandCalls(QueryCommand)[0]?.args[0].input).toEqual({
        TableName: 'links-table',
        IndexName: 'byCreator',
        KeyConditionExpression: '#creator = :creator',
        ExpressionAttributeNames: RECORD_NAMES,
        ExpressionAttributeValues: { ':creator': 'user-a' },
        ProjectionExpression:
          '#link, #url, #creator, #created, #count, #expiresAt, #disabledBy, #disabledReason, #disabledAt',
        ScanIndexForward: false,
        Limit: 21,
        ExclusiveStartKey: undefined,
      });
    });

    it("R4.5 R4.8 builds ExclusiveStartKey from the caller's own creator and the page key", async () => {
      ddb.on(QueryCommand).resolves({ Items: [] });
      await store.listByCreator('user-a', 5, { created: '2026-01-01T00:00:00.000Z', link: 'abc' });
      const input = ddb.commandCalls(QueryCommand)[0]?.args[0].input;
      expect(input?.ExclusiveStartKey).toEqual({ creator: 'user-a', created: '2026-01-01T00:00:00.000Z', link: 'abc' });
      expect(input?.Limit).toBe(6);
    });

    const item = (i: number) => ({
      link: `l${i}`,
      url: `https://example.com/${i}`,
      creator: 'user-a',
      created: `2026-01-01T00:00:0${i}.000Z`,
      count: i,
    });

    it('R4.4 returns limit items and a next key when the extra item came back', async () => {
      ddb.on(QueryCommand).resolves({ Items: [item(3), item(2), item(1)], LastEvaluatedKey: { link: 'l1' } });
      const page = await store.listByCreator('user-a', 2);
      expect(page).toEqual({ items: [item(3), item(2)], next: { created: item(2).created, link: 'l2' } });
    });

    it('R4.4 returns no next key when at most limit items came back', async () => {
      ddb.on(QueryCommand).resolves({ Items: [item(2), item(1)] });
      expect(await store.listByCreator('user-a', 2)).toEqual({ items: [item(2), item(1)] });
    });

    it('R4.4 returns a next key when the read stopped early at the 1 MB limit', async () => {
      ddb.on(QueryCommand).resolves({ Items: [item(2)], LastEvaluatedKey: { link: 'l2' } });
      expect(await store.listByCreator('user-a', 5)).toEqual({
        items: [item(2)],
        next: { created: item(2).created, link: 'l2' },
      });
    });

    it('R8.1 reads a missing count as 0', async () => {
      const { count: _, ...withoutCount } = item(1);
      ddb.on(QueryCommand).resolves({ Items: [withoutCount] });
      expect((await store.listByCreator('user-a', 5)).items[0]?.count).toBe(0);
    });

    it('R5.1 R5.3 R12.1 deletes with one PutItem that leaves a retired code, conditional on the creator', async () => {
      ddb.on(PutCommand).resolves({});
      expect(await store.deleteOwned('abc12345', 'user-a', '2026-11-23T00:00:00.000Z')).toBe(true);
      expect(ddb.calls()).toHaveLength(1);
      expect(ddb.commandCalls(PutCommand)[0]?.args[0].input).toEqual({
        TableName: 'links-table',
        Item: { link: 'abc12345', retiredBy: 'user-a', retiredAt: '2026-11-23T00:00:00.000Z' },
        ConditionExpression: '#creator = :caller AND attribute_not_exists(#disabledAt)',
        ExpressionAttributeNames: { '#creator': 'creator', '#disabledAt': 'disabledAt' },
        ExpressionAttributeValues: { ':caller': 'user-a' },
      });
    });

    it("R5.2 reports false when the link is someone else's or gone", async () => {
      ddb.on(PutCommand).rejects(conditionFailed());
      ddb.on(GetCommand).resolves({ Item: { creator: 'user-b' } });
      expect(await store.deleteOwned('abc12345', 'user-a', 'now')).toBe(false);
      ddb.on(GetCommand).resolves({});
      expect(await store.deleteOwned('abc12345', 'user-a', 'now')).toBe(false);
    });

    it('public-safety R5.9 keeps a takedown in the retired code, so that not even its creator gets it back', async () => {
      const takedown = { disabledBy: 'op', disabledReason: 'phishing', disabledAt: 'then' };
      ddb.on(PutCommand).rejectsOnce(conditionFailed()).resolves({});
      ddb.on(GetCommand).resolves({ Item: { creator: 'user-a', ...takedown } });
      expect(await store.deleteOwned('abc12345', 'user-a', 'now')).toBe(true);
      expect(ddb.commandCalls(PutCommand)[1]?.args[0].input).toEqual({
        TableName: 'links-table',
        Item: { link: 'abc12345', retiredBy: 'user-a', retiredAt: 'now', ...takedown },
        ConditionExpression: '#creator = :caller AND #disabledAt = :disabledAt',
        ExpressionAttributeNames: { '#creator': 'creator', '#disabledAt': 'disabledAt' },
        ExpressionAttributeValues: { ':caller': 'user-a', ':disabledAt': 'then' },
      });
    });

    it('R7.7 lets other delete failures through', async () => {
      ddb.on(PutCommand).rejects(new Error('network down'));
      await expect(store.deleteOwned('abc12345', 'user-a', 'now')).rejects.toThrow('network down');
    });

    it('R10.1 R10.3 R10.7 edits with one UpdateItem conditional on the creator and no takedown', async () => {
      ddb.on(UpdateCommand).resolves({ Attributes: { ...record, url: 'https://new.example/' } });
      const updated = await store.updateOwned('abc12345', 'user-a', { url: 'https://new.example/', expiresAt: null });
      expect(updated).toEqual({ ...record, url: 'https://new.example/' });
      expect(ddb.commandCalls(UpdateCommand)[0]?.args[0].input).toEqual({
        TableName: 'links-table',
        Key: { link: 'abc12345' },
        UpdateExpression: 'SET #url = :url REMOVE #expiresAt',
        ConditionExpression: '#creator = :caller AND attribute_not_exists(#disabledAt)',
        ExpressionAttributeNames: {
          '#creator': 'creator',
          '#disabledAt': 'disabledAt',
          '#url': 'url',
          '#expiresAt': 'expiresAt',
        },
        ExpressionAttributeValues: { ':caller': 'user-a', ':url': 'https://new.example/' },
        ReturnValues: 'ALL_NEW',
      });
    });

    it('R10.1 sets a new expiry alone', async () => {
      ddb.on(UpdateCommand).resolves({ Attributes: record });
      await store.updateOwned('abc12345', 'user-a', { expiresAt: '2027-01-01T00:00:00.000Z' });
      const input = ddb.commandCalls(UpdateCommand)[0]?.args[0].input;
      expect(input?.UpdateExpression).toBe('SET #expiresAt = :expiresAt');
      expect(input?.ExpressionAttributeValues).toEqual({
        ':caller': 'user-a',
        ':expiresAt': '2027-01-01T00:00:00.000Z',
      });
    });

    it('R10.5 public-safety R5.3 tells a missing or foreign link from a disabled one after a failed edit', async () => {
      ddb.on(UpdateCommand).rejects(conditionFailed());
      ddb.on(GetCommand).resolves({ Item: { creator: 'user-a', disabledAt: 'then' } });
      expect(await store.updateOwned('abc12345', 'user-a', { url: 'https://x.example/' })).toBe('disabled');
      ddb.on(GetCommand).resolves({ Item: { creator: 'user-b', disabledAt: 'then' } });
      expect(await store.updateOwned('abc12345', 'user-a', { url: 'https://x.example/' })).toBe('not-found');
      ddb.on(GetCommand).resolves({});
      expect(await store.updateOwned('abc12345', 'user-a', { url: 'https://x.example/' })).toBe('not-found');
    });

    it('public-safety R5.1 R5.4 sets and lifts a takedown on live links only', async () => {
      ddb.on(UpdateCommand).resolves({ Attributes: record });
      await store.setTakedown('abc12345', { by: 'op', reason: 'phishing', at: 'now' });
      await store.setTakedown('abc12345', undefined);
      const [disable, enable] = ddb.commandCalls(UpdateCommand).map((call) => call.args[0].input);
      expect(disable).toEqual({
        TableName: 'links-table',
        Key: { link: 'abc12345' },
        UpdateExpression: 'SET #disabledBy = :by, #disabledReason = :reason, #disabledAt = :at',
        ConditionExpression: 'attribute_exists(#url)',
        ExpressionAttributeNames: {
          '#url': 'url',
          '#disabledBy': 'disabledBy',
          '#disabledReason': 'disabledReason',
          '#disabledAt': 'disabledAt',
        },
        ExpressionAttributeValues: { ':by': 'op', ':reason': 'phishing', ':at': 'now' },
        ReturnValues: 'ALL_NEW',
      });
      expect(enable?.UpdateExpression).toBe('REMOVE #disabledBy, #disabledReason, #disabledAt');
      expect(enable?.ExpressionAttributeValues).toBeUndefined();
      ddb.on(UpdateCommand).rejects(conditionFailed());
      expect(await store.setTakedown('gone', undefined)).toBeUndefined();
    });
  });
});

const RECORD_NAMES = {
  '#link': 'link',
  '#url': 'url',
  '#creator': 'creator',
  '#created': 'created',
  '#count': 'count',
  '#expiresAt': 'expiresAt',
  '#disabledBy': 'disabledBy',
  '#disabledReason': 'disabledReason',
  '#disabledAt': 'disabledAt',
};

import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
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
  bots: 1,
};

beforeEach(() => ddb.reset());

describe('links-api', () => {
  describe('DynamoLinkStore', () => {
    it('R8.1 R8.2 R8.3 creates with one conditional PutItem, counts 0 and a fresh random incarnation, never overwriting', async () => {
      ddb.on(PutCommand).resolves({});
      expect(await store.create(record)).toBe('created');
      await store.create(record);
      expect(ddb.calls()).toHaveLength(2);
      const [first, second] = ddb.commandCalls(PutCommand).map((call) => call.args[0].input);
      expect(first).toEqual({
        TableName: 'links-table',
        Item: {
          link: 'abc12345',
          url: 'https://example.com/',
          creator: 'user-a',
          created: '2026-11-22T05:00:00.000Z',
          count: 0,
          bots: 0,
          incarnation: expect.stringMatching(/^[0-9a-f-]{36}$/),
        },
        ConditionExpression: 'attribute_not_exists(#link)',
        ExpressionAttributeNames: { '#link': 'link' },
      });
      // Two lives of one code, created in the same millisecond, are still told apart.
      expect(second?.Item?.incarnation).not.toBe(first?.Item?.incarnation);
    });

    it('R1.4 R1.5 reports a taken code when the condition fails', async () => {
      ddb.on(PutCommand).rejects(conditionFailed());
      expect(await store.create(record)).toBe('taken');
    });

    it('R7.7 lets any other failure through', async () => {
      ddb.on(PutCommand).rejects(new Error('ProvisionedThroughputExceededException'));
      await expect(store.create(record)).rejects.toThrow('ProvisionedThroughputExceededException');
    });

    it('R6.7 reads a destination and its incarnation with one GetItem projecting only url, incarnation and created', async () => {
      ddb.on(GetCommand).resolves({
        Item: { url: 'https://example.com/x', incarnation: 'inc-1', created: '2026-11-22T05:00:00.000Z' },
      });
      expect(await store.findTarget('abc12345')).toEqual({ url: 'https://example.com/x', incarnation: 'inc-1' });
      expect(ddb.calls()).toHaveLength(1);
      expect(ddb.commandCalls(GetCommand)[0]?.args[0].input).toEqual({
        TableName: 'links-table',
        Key: { link: 'abc12345' },
        ProjectionExpression: '#url, #incarnation, #created',
        ExpressionAttributeNames: { '#url': 'url', '#incarnation': 'incarnation', '#created': 'created' },
      });
    });

    it('R6.7 a link stored before links had an incarnation id is named by its created', async () => {
      ddb.on(GetCommand).resolves({ Item: { url: 'https://example.com/x', created: '2026-11-22T05:00:00.000Z' } });
      expect(await store.findTarget('abc12345')).toEqual({
        url: 'https://example.com/x',
        incarnation: '2026-11-22T05:00:00.000Z',
      });
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
        ExpressionAttributeNames: {
          '#creator': 'creator',
          '#created': 'created',
          '#link': 'link',
          '#url': 'url',
          '#count': 'count',
          '#bots': 'bots',
        },
        ExpressionAttributeValues: { ':creator': 'user-a' },
        ProjectionExpression: '#link, #url, #creator, #created, #count, #bots',
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
      bots: i * 2,
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

    it('R5.1 R5.3 deletes with one DeleteItem conditional on the caller being the creator', async () => {
      ddb.on(DeleteCommand).resolves({});
      expect(await store.deleteOwned('abc12345', 'user-a')).toBe(true);
      expect(ddb.calls()).toHaveLength(1);
      expect(ddb.commandCalls(DeleteCommand)[0]?.args[0].input).toEqual({
        TableName: 'links-table',
        Key: { link: 'abc12345' },
        ConditionExpression: '#creator = :caller',
        ExpressionAttributeNames: { '#creator': 'creator' },
        ExpressionAttributeValues: { ':caller': 'user-a' },
      });
    });

    it("R5.2 reports false when the link is someone else's or gone", async () => {
      ddb.on(DeleteCommand).rejects(conditionFailed());
      expect(await store.deleteOwned('abc12345', 'user-b')).toBe(false);
    });

    it('R7.7 lets other delete failures through', async () => {
      ddb.on(DeleteCommand).rejects(new Error('network down'));
      await expect(store.deleteOwned('abc12345', 'user-a')).rejects.toThrow('network down');
    });
  });
});

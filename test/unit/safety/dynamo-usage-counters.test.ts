import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoUsageCounters } from '../../../lambdas/adapters/dynamo-usage-counters.ts';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const ddb = mockClient(doc);
const counters = new DynamoUsageCounters(doc, 'links-table');
const ENDS = new Date('2026-11-23T00:00:00.000Z');
const conditionFailed = () => new ConditionalCheckFailedException({ message: 'failed', $metadata: {} });

beforeEach(() => ddb.reset());

describe('public-safety', () => {
  describe('DynamoUsageCounters', () => {
    it('R1.6 takes what fits with one conditional UpdateItem on a ~usage/ key, with a TTL', async () => {
      ddb.on(UpdateCommand).resolves({});
      expect(await counters.take('links/user-a/2026-11-22', 1, 500, ENDS)).toBe(1);
      expect(ddb.calls()).toHaveLength(1);
      expect(ddb.commandCalls(UpdateCommand)[0]?.args[0].input).toEqual({
        TableName: 'links-table',
        Key: { link: '~usage/links/user-a/2026-11-22' },
        UpdateExpression: 'ADD #used :amount SET #purgeAt = :purgeAt',
        ConditionExpression: 'attribute_not_exists(#used) OR #used <= :atMost',
        ExpressionAttributeNames: { '#used': 'used', '#purgeAt': 'purgeAt' },
        ExpressionAttributeValues: { ':amount': 1, ':purgeAt': 1795392000, ':atMost': 499 },
      });
    });

    it('R1.6 takes only what is left, conditional on the count it read, when not all of it fits', async () => {
      ddb.on(UpdateCommand).rejectsOnce(conditionFailed()).resolves({});
      ddb.on(GetCommand).resolves({ Item: { used: 4995 } });
      expect(await counters.take('bulk/user-a/2026-11-22', 10, 5000, ENDS)).toBe(5);
      expect(ddb.commandCalls(GetCommand)[0]?.args[0].input).toEqual({
        TableName: 'links-table',
        Key: { link: '~usage/bulk/user-a/2026-11-22' },
        ConsistentRead: true,
        ProjectionExpression: '#used',
        ExpressionAttributeNames: { '#used': 'used' },
      });
      expect(ddb.commandCalls(UpdateCommand)[1]?.args[0].input).toMatchObject({
        ConditionExpression: '#used = :seen',
        ExpressionAttributeValues: { ':amount': 5, ':seen': 4995, ':purgeAt': 1795392000 },
      });
    });

    it('R1.1 R1.6 takes nothing from a full counter', async () => {
      ddb.on(UpdateCommand).rejects(conditionFailed());
      ddb.on(GetCommand).resolves({ Item: { used: 500 } });
      expect(await counters.take('links/user-a/2026-11-22', 1, 500, ENDS)).toBe(0);
      expect(ddb.commandCalls(UpdateCommand)).toHaveLength(1);
    });

    it('R1.6 asks for more than the limit only what the limit allows', async () => {
      ddb.on(GetCommand).resolves({});
      ddb.on(UpdateCommand).resolves({});
      expect(await counters.take('bulk/user-a/2026-11-22', 1000, 300, ENDS)).toBe(300);
      expect(ddb.commandCalls(UpdateCommand)[0]?.args[0].input.ExpressionAttributeValues).toMatchObject({
        ':amount': 300,
        ':atMost': 0,
      });
    });

    it('R1.3 gives back never below zero, and a missing counter is fine', async () => {
      ddb.on(UpdateCommand).rejects(conditionFailed());
      await counters.giveBack('links/user-a/2026-11-22', 2);
      expect(ddb.commandCalls(UpdateCommand)[0]?.args[0].input).toEqual({
        TableName: 'links-table',
        Key: { link: '~usage/links/user-a/2026-11-22' },
        UpdateExpression: 'ADD #used :minus',
        ConditionExpression: '#used >= :amount',
        ExpressionAttributeNames: { '#used': 'used' },
        ExpressionAttributeValues: { ':minus': -2, ':amount': 2 },
      });
    });

    it('R6.1 lets throttling through to the handler (503)', async () => {
      const busy = new Error('slow down');
      busy.name = 'ThrottlingException';
      ddb.on(UpdateCommand).rejects(busy);
      await expect(counters.take('requests/user-a/1', 1, 10, ENDS)).rejects.toThrow('slow down');
    });
  });
});

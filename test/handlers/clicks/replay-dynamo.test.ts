import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { dynamoForcedAdd, dynamoMarkReader } from '../../../lib/replay/marks.ts';

const doc = mockClient(DynamoDBDocumentClient);
const client = () => DynamoDBDocumentClient.from(new DynamoDBClient({}));

describe('click-pipeline', () => {
  afterEach(() => doc.reset());

  it('R5.5 reads one shard mark of a link, strongly consistent', async () => {
    doc.on(GetCommand).resolves({ Item: { 'applied:shardId-000000000002': '0042' } });
    await expect(dynamoMarkReader(client(), 'links')('abc', 'shardId-000000000002')).resolves.toBe('0042');
    expect(doc.commandCalls(GetCommand)[0]?.args[0].input).toEqual({
      TableName: 'links',
      Key: { link: 'abc' },
      ConsistentRead: true,
      ProjectionExpression: '#mark',
      ExpressionAttributeNames: { '#mark': 'applied:shardId-000000000002' },
    });
  });

  it('R5.6 adds overtaken clicks to an existing link only, leaving the marks alone', async () => {
    doc
      .on(UpdateCommand)
      .resolvesOnce({})
      .rejects(new ConditionalCheckFailedException({ message: 'x', $metadata: {} }));
    const add = dynamoForcedAdd(client(), 'links');
    await expect(add('abc', 3)).resolves.toBe('added');
    await expect(add('gone', 1)).resolves.toBe('link-gone');
    expect(doc.commandCalls(UpdateCommand)[0]?.args[0].input).toEqual({
      TableName: 'links',
      Key: { link: 'abc' },
      UpdateExpression: 'ADD #count :clicks',
      ConditionExpression: 'attribute_exists(#link)',
      ExpressionAttributeNames: { '#count': 'count', '#link': 'link' },
      ExpressionAttributeValues: { ':clicks': 3 },
    });
  });

  it('R5.6 R4.10 adds overtaken clicks that name an incarnation only to that incarnation', async () => {
    doc.on(UpdateCommand).resolves({});
    await dynamoForcedAdd(client(), 'links')('abc', 2, '2026-11-22T05:00:00.000Z');
    expect(doc.commandCalls(UpdateCommand)[0]?.args[0].input).toEqual({
      TableName: 'links',
      Key: { link: 'abc' },
      UpdateExpression: 'ADD #count :clicks',
      ConditionExpression: 'attribute_exists(#link) AND #created = :created',
      ExpressionAttributeNames: { '#count': 'count', '#link': 'link', '#created': 'created' },
      ExpressionAttributeValues: { ':clicks': 2, ':created': '2026-11-22T05:00:00.000Z' },
    });
  });
});

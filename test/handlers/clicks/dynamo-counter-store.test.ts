import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoCounterStore } from '../../../lambdas/adapters/dynamo-counter-store.ts';
import { padSequenceNumber } from '../../../lambdas/domain/click.ts';

const doc = mockClient(DynamoDBDocumentClient);
const store = () => new DynamoCounterStore(DynamoDBDocumentClient.from(new DynamoDBClient({})), 'links');
const seq = (n: number) => padSequenceNumber(String(n)) as string;
const update = (...numbers: number[]) => ({
  link: 'abc',
  shardId: 'shardId-000000000001',
  sequenceNumbers: numbers.map(seq),
});
const conditionFailed = () =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

const OLD = '2026-11-22T05:00:00.000Z';
const NEW = '2026-11-22T05:00:02.000Z';

const NAMES = { '#link': 'link', '#count': 'count', '#mark': 'applied:shardId-000000000001' };

describe('click-pipeline', () => {
  afterEach(() => doc.reset());

  it('R4.2 R4.6 adds the batch and raises the shard mark in one conditional UpdateItem that never creates an item', async () => {
    doc.on(UpdateCommand).resolves({});
    await expect(store().apply(update(5, 7, 9))).resolves.toBe('applied');
    expect(doc.calls()).toHaveLength(1);
    expect(doc.commandCalls(UpdateCommand)[0]?.args[0].input).toEqual({
      TableName: 'links',
      Key: { link: 'abc' },
      UpdateExpression: 'ADD #count :clicks SET #mark = :last',
      ConditionExpression: 'attribute_exists(#link) AND (attribute_not_exists(#mark) OR #mark < :first)',
      ExpressionAttributeNames: NAMES,
      ExpressionAttributeValues: { ':clicks': 3, ':last': seq(9), ':first': seq(5) },
    });
  });

  it('R4.3 reads the mark consistently after a failed condition and adds nothing when the batch was already counted', async () => {
    doc.on(UpdateCommand).rejects(conditionFailed());
    doc.on(GetCommand).resolves({ Item: { link: 'abc', 'applied:shardId-000000000001': seq(9) } });
    await expect(store().apply(update(5, 7, 9))).resolves.toBe('already-applied');
    expect(doc.commandCalls(UpdateCommand)).toHaveLength(1);
    expect(doc.commandCalls(GetCommand)[0]?.args[0].input).toEqual({
      TableName: 'links',
      Key: { link: 'abc' },
      ConsistentRead: true,
      ProjectionExpression: '#link, #created, #mark',
      ExpressionAttributeNames: { '#link': 'link', '#created': 'created', '#mark': 'applied:shardId-000000000001' },
    });
  });

  it('R4.8 adds only the clicks above the mark of a partly counted batch, conditional on the mark it saw', async () => {
    doc.on(UpdateCommand).rejectsOnce(conditionFailed()).resolves({});
    doc.on(GetCommand).resolves({ Item: { link: 'abc', 'applied:shardId-000000000001': seq(7) } });
    await expect(store().apply(update(5, 7, 9, 11))).resolves.toBe('applied');
    expect(doc.commandCalls(UpdateCommand)[1]?.args[0].input).toEqual({
      TableName: 'links',
      Key: { link: 'abc' },
      UpdateExpression: 'ADD #count :clicks SET #mark = :last',
      ConditionExpression: 'attribute_exists(#link) AND #mark = :seen',
      ExpressionAttributeNames: NAMES,
      ExpressionAttributeValues: { ':clicks': 2, ':last': seq(11), ':seen': seq(7) },
    });
  });

  it('R4.6 reports a link deleted since the click as gone and writes nothing more', async () => {
    doc.on(UpdateCommand).rejects(conditionFailed());
    doc.on(GetCommand).resolves({});
    await expect(store().apply(update(5))).resolves.toBe('link-gone');
    expect(doc.commandCalls(UpdateCommand)).toHaveLength(1);
  });

  it('R4.3 re-reads when another writer moved the mark between its read and its write', async () => {
    doc.on(UpdateCommand).rejectsOnce(conditionFailed()).rejectsOnce(conditionFailed()).resolves({});
    doc
      .on(GetCommand)
      .resolvesOnce({ Item: { link: 'abc', 'applied:shardId-000000000001': seq(5) } })
      .resolves({ Item: { link: 'abc', 'applied:shardId-000000000001': seq(9) } });
    await expect(store().apply(update(5, 7, 9, 11))).resolves.toBe('applied');
    const last = doc.commandCalls(UpdateCommand)[2]?.args[0].input;
    expect(last?.ExpressionAttributeValues).toEqual({ ':clicks': 1, ':last': seq(11), ':seen': seq(9) });
  });

  it('R4.10 adds clicks that name an incarnation only to the item with that created', async () => {
    doc.on(UpdateCommand).resolves({});
    await expect(store().apply({ ...update(5, 7), created: OLD })).resolves.toBe('applied');
    expect(doc.calls()).toHaveLength(1);
    expect(doc.commandCalls(UpdateCommand)[0]?.args[0].input).toEqual({
      TableName: 'links',
      Key: { link: 'abc' },
      UpdateExpression: 'ADD #count :clicks SET #mark = :last',
      ConditionExpression:
        'attribute_exists(#link) AND #created = :created AND (attribute_not_exists(#mark) OR #mark < :first)',
      ExpressionAttributeNames: { ...NAMES, '#created': 'created' },
      ExpressionAttributeValues: { ':clicks': 2, ':last': seq(7), ':first': seq(5), ':created': OLD },
    });
  });

  it('R4.10 reports clicks on a deleted link whose code was created again as gone, and writes nothing more', async () => {
    doc.on(UpdateCommand).rejects(conditionFailed());
    // The new incarnation: a fresh item, its marks not set yet.
    doc.on(GetCommand).resolves({ Item: { link: 'abc', created: NEW } });
    await expect(store().apply({ ...update(5, 7), created: OLD })).resolves.toBe('link-gone');
    expect(doc.commandCalls(UpdateCommand)).toHaveLength(1);
    expect(doc.commandCalls(GetCommand)).toHaveLength(1);
  });

  it('R4.10 R4.8 catches up on a partly counted batch of the same incarnation, still conditional on its created', async () => {
    doc.on(UpdateCommand).rejectsOnce(conditionFailed()).resolves({});
    doc.on(GetCommand).resolves({ Item: { link: 'abc', created: NEW, 'applied:shardId-000000000001': seq(5) } });
    await expect(store().apply({ ...update(5, 7, 9), created: NEW })).resolves.toBe('applied');
    const retry = doc.commandCalls(UpdateCommand)[1]?.args[0].input;
    expect(retry?.ConditionExpression).toBe('attribute_exists(#link) AND #created = :created AND #mark = :seen');
    expect(retry?.ExpressionAttributeValues).toEqual({
      ':clicks': 2,
      ':last': seq(9),
      ':seen': seq(5),
      ':created': NEW,
    });
  });

  it('R4.11 applies a click record without created (written before clicks carried it) to whatever link exists', async () => {
    doc.on(UpdateCommand).rejects(conditionFailed());
    doc.on(GetCommand).resolves({ Item: { link: 'abc', created: NEW, 'applied:shardId-000000000001': seq(9) } });
    await expect(store().apply(update(5, 7, 9))).resolves.toBe('already-applied');
    expect(doc.commandCalls(UpdateCommand)[0]?.args[0].input.ConditionExpression).not.toContain('#created');
  });

  it('R4.4 lets any other DynamoDB error through so the batch is reported as failed', async () => {
    doc.on(UpdateCommand).rejects(new Error('ProvisionedThroughputExceededException'));
    await expect(store().apply(update(5))).rejects.toThrow('ProvisionedThroughputExceededException');
  });
});

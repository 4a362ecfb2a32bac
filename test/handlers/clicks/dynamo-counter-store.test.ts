import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoCounterStore } from '../../../lambdas/adapters/dynamo-counter-store.ts';
import { padSequenceNumber } from '../../../lambdas/adapters/sequence-marks.ts';
import type { CounterUpdate } from '../../../lambdas/ports.ts';

const doc = mockClient(DynamoDBDocumentClient);
const store = () => new DynamoCounterStore(DynamoDBDocumentClient.from(new DynamoDBClient({})), 'links');
const seq = (n: number) => padSequenceNumber(String(n));
/** Clicks by people at the given sequence numbers; negative numbers are bots at the absolute value. */
const update = (...numbers: number[]): CounterUpdate => ({
  link: 'abc',
  shardId: 'shardId-000000000001',
  clicks: numbers.map((n) => ({ sequenceNumber: String(Math.abs(n)), bot: n < 0 })),
});
const conditionFailed = () =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

const OLD = 'b9f1c0de-old';
const NEW = '0c1d2e3f-new';
const MARK = 'applied:shardId-000000000001';
const NAMES = { '#url': 'url', '#count': 'count', '#bots': 'bots', '#mark': MARK };
const INCARNATION_NAMES = { ...NAMES, '#incarnation': 'incarnation', '#created': 'created' };
const INCARNATION_CONDITION = 'attribute_exists(#url) AND (#incarnation = :incarnation OR #created = :incarnation)';

describe('click-pipeline', () => {
  afterEach(() => doc.reset());

  it('R4.2 R4.6 adds the batch (people to count, bots to bots) and raises the shard mark in one conditional UpdateItem that never creates an item', async () => {
    doc.on(UpdateCommand).resolves({});
    await expect(store().apply(update(5, -7, 9))).resolves.toEqual({ kind: 'applied' });
    expect(doc.calls()).toHaveLength(1);
    expect(doc.commandCalls(UpdateCommand)[0]?.args[0].input).toEqual({
      TableName: 'links',
      Key: { link: 'abc' },
      UpdateExpression: 'ADD #count :people, #bots :bots SET #mark = :last',
      ConditionExpression: 'attribute_exists(#url) AND (attribute_not_exists(#mark) OR #mark < :first)',
      ExpressionAttributeNames: NAMES,
      ExpressionAttributeValues: { ':people': 2, ':bots': 1, ':last': seq(9), ':first': seq(5) },
    });
  });

  it('R4.3 reads the mark consistently after a failed condition, adds nothing when the batch was already counted and says how far the mark is', async () => {
    doc.on(UpdateCommand).rejects(conditionFailed());
    doc.on(GetCommand).resolves({ Item: { link: 'abc', url: 'https://x.example/', [MARK]: seq(12) } });
    await expect(store().apply(update(5, 7, 9))).resolves.toEqual({ kind: 'already-applied', mark: '12' });
    expect(doc.commandCalls(UpdateCommand)).toHaveLength(1);
    expect(doc.commandCalls(GetCommand)[0]?.args[0].input).toEqual({
      TableName: 'links',
      Key: { link: 'abc' },
      ConsistentRead: true,
      ProjectionExpression: '#url, #created, #incarnation, #mark',
      ExpressionAttributeNames: {
        '#url': 'url',
        '#created': 'created',
        '#incarnation': 'incarnation',
        '#mark': MARK,
      },
    });
  });

  it('R4.8 adds only the clicks above the mark of a partly counted batch, conditional on the mark it saw', async () => {
    doc.on(UpdateCommand).rejectsOnce(conditionFailed()).resolves({});
    doc.on(GetCommand).resolves({ Item: { link: 'abc', url: 'https://x.example/', [MARK]: seq(7) } });
    await expect(store().apply(update(5, 7, -9, 11))).resolves.toEqual({ kind: 'applied' });
    expect(doc.commandCalls(UpdateCommand)[1]?.args[0].input).toEqual({
      TableName: 'links',
      Key: { link: 'abc' },
      UpdateExpression: 'ADD #count :people, #bots :bots SET #mark = :last',
      ConditionExpression: 'attribute_exists(#url) AND #mark = :seen',
      ExpressionAttributeNames: NAMES,
      ExpressionAttributeValues: { ':people': 1, ':bots': 1, ':last': seq(11), ':seen': seq(7) },
    });
  });

  it('R4.6 reports a link deleted since the click as gone and writes nothing more', async () => {
    doc.on(UpdateCommand).rejects(conditionFailed());
    doc.on(GetCommand).resolves({});
    await expect(store().apply(update(5))).resolves.toEqual({ kind: 'link-gone' });
    expect(doc.commandCalls(UpdateCommand)).toHaveLength(1);
  });

  it('R4.6 an item without a destination under the code (a deleted code kept as a tombstone) is gone too', async () => {
    doc.on(UpdateCommand).rejects(conditionFailed());
    doc.on(GetCommand).resolves({ Item: { link: 'abc', creator: 'u', incarnation: 'x' } });
    await expect(store().apply(update(5))).resolves.toEqual({ kind: 'link-gone' });
  });

  it('R4.3 re-reads when another writer moved the mark between its read and its write', async () => {
    doc.on(UpdateCommand).rejectsOnce(conditionFailed()).rejectsOnce(conditionFailed()).resolves({});
    doc
      .on(GetCommand)
      .resolvesOnce({ Item: { link: 'abc', url: 'https://x.example/', [MARK]: seq(5) } })
      .resolves({ Item: { link: 'abc', url: 'https://x.example/', [MARK]: seq(9) } });
    await expect(store().apply(update(5, 7, 9, 11))).resolves.toEqual({ kind: 'applied' });
    const last = doc.commandCalls(UpdateCommand)[2]?.args[0].input;
    expect(last?.ExpressionAttributeValues).toEqual({ ':people': 1, ':bots': 0, ':last': seq(11), ':seen': seq(9) });
  });

  it('R4.10 adds clicks that name an incarnation only to the item of that incarnation (or, stored before ids, of that created)', async () => {
    doc.on(UpdateCommand).resolves({});
    await expect(store().apply({ ...update(5, 7), incarnation: OLD })).resolves.toEqual({ kind: 'applied' });
    expect(doc.calls()).toHaveLength(1);
    expect(doc.commandCalls(UpdateCommand)[0]?.args[0].input).toEqual({
      TableName: 'links',
      Key: { link: 'abc' },
      UpdateExpression: 'ADD #count :people, #bots :bots SET #mark = :last',
      ConditionExpression: `${INCARNATION_CONDITION} AND (attribute_not_exists(#mark) OR #mark < :first)`,
      ExpressionAttributeNames: INCARNATION_NAMES,
      ExpressionAttributeValues: { ':people': 2, ':bots': 0, ':last': seq(7), ':first': seq(5), ':incarnation': OLD },
    });
  });

  it('R4.10 reports clicks on a deleted link whose code was created again as gone, and writes nothing more', async () => {
    doc.on(UpdateCommand).rejects(conditionFailed());
    // The new incarnation: a fresh item, its marks not set yet.
    doc.on(GetCommand).resolves({
      Item: { link: 'abc', url: 'https://x.example/', incarnation: NEW, created: '2026-11-22T05:00:00.000Z' },
    });
    await expect(store().apply({ ...update(5, 7), incarnation: OLD })).resolves.toEqual({ kind: 'link-gone' });
    expect(doc.commandCalls(UpdateCommand)).toHaveLength(1);
    expect(doc.commandCalls(GetCommand)).toHaveLength(1);
  });

  it('R4.10 R4.8 catches up on a partly counted batch of the same incarnation, still conditional on it', async () => {
    doc.on(UpdateCommand).rejectsOnce(conditionFailed()).resolves({});
    doc.on(GetCommand).resolves({ Item: { link: 'abc', url: 'https://x.example/', incarnation: NEW, [MARK]: seq(5) } });
    await expect(store().apply({ ...update(5, 7, 9), incarnation: NEW })).resolves.toEqual({ kind: 'applied' });
    const retry = doc.commandCalls(UpdateCommand)[1]?.args[0].input;
    expect(retry?.ConditionExpression).toBe(`${INCARNATION_CONDITION} AND #mark = :seen`);
    expect(retry?.ExpressionAttributeValues).toEqual({
      ':people': 2,
      ':bots': 0,
      ':last': seq(9),
      ':seen': seq(5),
      ':incarnation': NEW,
    });
  });

  it("R3.6 a click naming the link's created (written by the previous redirect during a deploy) still counts on it", async () => {
    doc.on(UpdateCommand).rejectsOnce(conditionFailed()).resolves({});
    doc.on(GetCommand).resolves({
      Item: {
        link: 'abc',
        url: 'https://x.example/',
        incarnation: NEW,
        created: '2026-11-22T05:00:00.000Z',
        [MARK]: seq(5),
      },
    });
    await expect(store().apply({ ...update(5, 7), incarnation: '2026-11-22T05:00:00.000Z' })).resolves.toEqual({
      kind: 'applied',
    });
  });

  it('R4.11 applies a click record without an incarnation (written before clicks named one) to whatever link exists', async () => {
    doc.on(UpdateCommand).rejects(conditionFailed());
    doc.on(GetCommand).resolves({ Item: { link: 'abc', url: 'https://x.example/', incarnation: NEW, [MARK]: seq(9) } });
    await expect(store().apply(update(5, 7, 9))).resolves.toEqual({ kind: 'already-applied', mark: '9' });
    expect(doc.commandCalls(UpdateCommand)[0]?.args[0].input.ConditionExpression).not.toContain('#incarnation');
  });

  it('R5.5 an operator re-add moves the forced mark of the shard, never the stream mark', async () => {
    doc.on(UpdateCommand).resolves({});
    await store().apply(update(5), 'forced');
    expect(doc.commandCalls(UpdateCommand)[0]?.args[0].input.ExpressionAttributeNames).toEqual({
      ...NAMES,
      '#mark': 'forced:shardId-000000000001',
    });
  });

  it('R4.4 lets any other DynamoDB error through so the batch is reported as failed', async () => {
    doc.on(UpdateCommand).rejects(new Error('ProvisionedThroughputExceededException'));
    await expect(store().apply(update(5))).rejects.toThrow('ProvisionedThroughputExceededException');
  });
});

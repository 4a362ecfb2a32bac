import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  type GetObjectCommandOutput,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { s3FailedBatches } from '../../../lib/replay/sources.ts';
import { click, kinesisEvent, kinesisRecord } from '../../unit/clicks/support.ts';

const s3 = mockClient(S3Client);
/** The one method of the SDK's streaming body that the source uses. */
const body = (text: string) => ({ transformToString: async () => text }) as unknown as GetObjectCommandOutput['Body'];

const record = JSON.stringify({
  KinesisBatchInfo: { shardId: 'shardId-000000000000', startSequenceNumber: '7', endSequenceNumber: '7' },
  payload: kinesisEvent([kinesisRecord('shardId-000000000000', '7', click('a'))]),
});

describe('click-pipeline', () => {
  afterEach(() => s3.reset());

  it('R5.2 lists every page of the on-failure bucket, skips replayed/ objects and reads each record', async () => {
    s3.on(ListObjectsV2Command)
      .resolvesOnce({
        Contents: [{ Key: 'aws/lambda/x/1.json' }, { Key: 'replayed/old.json' }],
        IsTruncated: true,
        NextContinuationToken: 't',
      })
      .resolvesOnce({ Contents: [{ Key: 'aws/lambda/x/2.json' }], IsTruncated: false });
    s3.on(GetObjectCommand, { Key: 'aws/lambda/x/1.json' }).resolves({ Body: body(record) });
    s3.on(GetObjectCommand, { Key: 'aws/lambda/x/2.json' }).resolves({ Body: body('not a record') });
    const { batches, unreadable } = await s3FailedBatches(new S3Client({ region: 'us-east-1' }), 'failures').load();
    expect(batches.map((b) => b.id)).toEqual(['aws/lambda/x/1.json']);
    expect(unreadable).toEqual(['aws/lambda/x/2.json']);
    expect(s3.commandCalls(ListObjectsV2Command).map((c) => c.args[0].input)).toEqual([
      { Bucket: 'failures', Prefix: '', ContinuationToken: undefined },
      { Bucket: 'failures', Prefix: '', ContinuationToken: 't' },
    ]);
  });

  it('R5.2 moves a replayed object under replayed/ by copying it and then deleting the original', async () => {
    s3.on(CopyObjectCommand).resolves({});
    s3.on(DeleteObjectCommand).resolves({});
    const source = s3FailedBatches(new S3Client({ region: 'us-east-1' }), 'failures');
    await source.markReplayed({
      id: 'aws/lambda/x/1 2.json',
      shardId: 's',
      startSequenceNumber: '1',
      endSequenceNumber: '1',
      payload: { Records: [] },
    });
    expect(s3.commandCalls(CopyObjectCommand)[0]?.args[0].input).toEqual({
      Bucket: 'failures',
      Key: 'replayed/aws/lambda/x/1 2.json',
      CopySource: 'failures/aws/lambda/x/1%202.json',
    });
    expect(s3.commandCalls(DeleteObjectCommand)[0]?.args[0].input).toEqual({
      Bucket: 'failures',
      Key: 'aws/lambda/x/1 2.json',
    });
    // Copy first: a failure between the two calls leaves a duplicate, never a loss.
    expect(s3.calls().map((c) => c.args[0].constructor.name)).toEqual(['CopyObjectCommand', 'DeleteObjectCommand']);
  });
});

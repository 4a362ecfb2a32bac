// The click stream and its consumer wiring, built from CLICK_STREAM in the definitions
// (the local poller emulates the same event source mapping settings).
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { CLICK_STREAM } from '../../lambdas/declarations/stream.ts';
import type { KinesisMode } from './config.ts';
import { acknowledge } from './nag.ts';
import type { ShortenerFunction } from './shortener-function.ts';

/**
 * The actions the event source mapping performs with the consumer's role to read a shard
 * (SubscribeToShard is only for enhanced fan-out, which is not used).
 */
export const STREAM_READ_ACTIONS = [
  'kinesis:DescribeStream',
  'kinesis:DescribeStreamSummary',
  'kinesis:GetRecords',
  'kinesis:GetShardIterator',
  'kinesis:ListShards',
];

/**
 * An S3 on-failure destination that grants nothing by itself: CDK's `S3OnFailureDestination` grants
 * read-write (deletes included), so the consumer's statements are written out in `ClickStream`.
 */
class S3FailedBatchDestination implements lambda.IEventSourceDlq {
  constructor(private readonly bucket: s3.IBucket) {}
  bind(): lambda.DlqDestinationConfig {
    return { destination: this.bucket.bucketArn };
  }
}

export interface ClickStreamProps {
  /** Physical stream name (`clicks-<stage>`). */
  readonly streamName: string;
  readonly mode: KinesisMode;
  /** Shards of a provisioned stream. */
  readonly shardCount: number;
  readonly retentionHours: number;
  readonly consumer: ShortenerFunction;
  /** Keep the failed-batch bucket (with what it holds) on `cdk destroy`. */
  readonly retainData: boolean;
}

export class ClickStream extends Construct {
  readonly stream: kinesis.Stream;
  /** Where Lambda writes every invocation it gave up on, whole, so `npm run replay` can re-apply it. */
  readonly failedBatches: s3.Bucket;
  /** Gets one message per failed-batch object; the alarms watch its published count. */
  readonly failedBatchTopic: sns.Topic;
  readonly eventSourceMapping: lambda.EventSourceMapping;

  constructor(scope: Construct, id: string, props: ClickStreamProps) {
    super(scope, id);
    const settings = CLICK_STREAM.consumer;

    this.stream = new kinesis.Stream(this, 'Stream', {
      streamName: props.streamName,
      // The AWS managed key: encrypted at rest at no extra cost, and producers need no KMS grant.
      encryption: kinesis.StreamEncryption.MANAGED,
      retentionPeriod: Duration.hours(props.retentionHours),
      ...(props.mode === 'on-demand'
        ? { streamMode: kinesis.StreamMode.ON_DEMAND }
        : { streamMode: kinesis.StreamMode.PROVISIONED, shardCount: props.shardCount }),
      // Clicks in flight are transient; a retained stream would keep billing shard hours.
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.failedBatches = new s3.Bucket(this, 'FailedBatches', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: props.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      autoDeleteObjects: !props.retainData,
    });
    acknowledge(
      this.failedBatches,
      'AwsSolutions-S1',
      'Only the consumer function writes here (its role allows PutObject, no deletes); every object is already announced on the failed-batch topic, so server access logs would add cost without information.',
    );

    this.failedBatchTopic = new sns.Topic(this, 'FailedBatchTopic', { enforceSSL: true });
    acknowledge(
      this.failedBatchTopic,
      'AwsSolutions-SNS2',
      'Messages only carry the bucket and key of a failed batch, no user data; S3 cannot publish to a topic encrypted with the AWS managed key, and a customer managed key would cost more than the rest of an idle stack.',
    );
    this.failedBatches.addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.SnsDestination(this.failedBatchTopic));

    const consumer = props.consumer;
    consumer.allow(STREAM_READ_ACTIONS, [this.stream.streamArn]);
    // What Lambda needs to write an on-failure record to S3 (Lambda developer guide, "Retain discarded batch
    // records"): put objects, and list the bucket. Nothing else, deletes in particular.
    consumer.allow(['s3:PutObject'], [this.failedBatches.arnForObjects('*')]);
    consumer.allow(['s3:ListBucket'], [this.failedBatches.bucketArn]);
    const bucketLogicalId = Stack.of(this).getLogicalId(this.failedBatches.node.defaultChild as s3.CfnBucket);
    acknowledge(
      consumer.role,
      `AwsSolutions-IAM5[Resource::<${bucketLogicalId}.Arn>/*]`,
      'Lambda names each failed-batch object itself when it gives up on a batch, so PutObject must cover the keys of this one bucket.',
    );

    this.eventSourceMapping = new lambda.EventSourceMapping(this, 'Consumer', {
      target: consumer.function,
      eventSourceArn: this.stream.streamArn,
      batchSize: settings.batchSize,
      maxBatchingWindow: Duration.seconds(settings.maxBatchingWindowSeconds),
      parallelizationFactor: settings.parallelizationFactor,
      bisectBatchOnError: settings.bisectBatchOnError,
      reportBatchItemFailures: settings.reportBatchItemFailures,
      retryAttempts: settings.maxRetryAttempts,
      maxRecordAge: Duration.seconds(settings.maxRecordAgeSeconds),
      startingPosition: lambda.StartingPosition[settings.startingPosition],
      onFailure: new S3FailedBatchDestination(this.failedBatches),
    });
    // Lambda checks the role's stream permissions when the mapping is created.
    this.eventSourceMapping.node.addDependency(consumer.role);
  }
}

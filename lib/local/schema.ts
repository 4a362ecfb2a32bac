// Table and stream shapes for local mode, derived only from `lambdas/declarations/` so the emulators
// get exactly what the CDK stack deploys (a CDK test compares these with the synthesized template).
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import type { CreateStreamCommandInput } from '@aws-sdk/client-kinesis';
import { LINKS_TABLE } from '../../lambdas/declarations/storage.ts';
import { CLICK_STREAM } from '../../lambdas/declarations/stream.ts';

export function createTableInput(tableName: string): CreateTableCommandInput {
  const { partitionKey, creatorIndex } = LINKS_TABLE;
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    KeySchema: [{ AttributeName: partitionKey.name, KeyType: 'HASH' }],
    AttributeDefinitions: [
      { AttributeName: partitionKey.name, AttributeType: partitionKey.type },
      { AttributeName: creatorIndex.partitionKey.name, AttributeType: creatorIndex.partitionKey.type },
      { AttributeName: creatorIndex.sortKey.name, AttributeType: creatorIndex.sortKey.type },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: creatorIndex.name,
        KeySchema: [
          { AttributeName: creatorIndex.partitionKey.name, KeyType: 'HASH' },
          { AttributeName: creatorIndex.sortKey.name, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [...creatorIndex.nonKeyAttributes] },
      },
    ],
  };
}

export function createStreamInput(streamName: string): CreateStreamCommandInput {
  return { StreamName: streamName, ShardCount: CLICK_STREAM.shardCount };
}

import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { markAttribute } from '../../lambdas/adapters/dynamo-counter-store.ts';
import { LINKS_TABLE } from '../definitions.ts';
import type { MarkReader } from './replay.ts';

/** Reads `applied:<shardId>` of a link, strongly consistent, as the counter store does. */
export function dynamoMarkReader(doc: DynamoDBDocumentClient, tableName: string): MarkReader {
  return async (link, shardId) => {
    const { Item } = await doc.send(
      new GetCommand({
        TableName: tableName,
        Key: { [LINKS_TABLE.partitionKey.name]: link },
        ConsistentRead: true,
        ProjectionExpression: '#mark',
        ExpressionAttributeNames: { '#mark': markAttribute(shardId) },
      }),
    );
    const mark = Item?.[markAttribute(shardId)];
    return typeof mark === 'string' ? mark : undefined;
  };
}

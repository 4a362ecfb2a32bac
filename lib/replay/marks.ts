import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { markAttribute } from '../../lambdas/adapters/dynamo-counter-store.ts';
import { LINKS_TABLE } from '../../lambdas/declarations/storage.ts';
import type { ForcedAdd, MarkReader } from './replay.ts';

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

/**
 * `ADD count` on an existing link only (and, given `created`, only on that incarnation of it), Marks
 * untouched: the operator's explicit choice for overtaken clicks.
 */
export function dynamoForcedAdd(doc: DynamoDBDocumentClient, tableName: string): ForcedAdd {
  return async (link, clicks, created) => {
    try {
      await doc.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { [LINKS_TABLE.partitionKey.name]: link },
          UpdateExpression: 'ADD #count :clicks',
          ConditionExpression:
            created === undefined ? 'attribute_exists(#link)' : 'attribute_exists(#link) AND #created = :created',
          ExpressionAttributeNames: {
            '#count': LINKS_TABLE.attributes.count,
            '#link': LINKS_TABLE.attributes.link,
            ...(created === undefined ? {} : { '#created': LINKS_TABLE.attributes.created }),
          },
          ExpressionAttributeValues: { ':clicks': clicks, ...(created === undefined ? {} : { ':created': created }) },
        }),
      );
      return 'added';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'link-gone';
      throw error;
    }
  };
}

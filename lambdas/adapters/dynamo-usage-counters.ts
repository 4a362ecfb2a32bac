// UsageCounters on the links table: one item per counter under the `~usage/` key prefix (never a
// code, never in the creator index), raised by conditional UpdateItems so that the ceiling holds under
// any concurrency, without transactions.
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { LINKS_TABLE } from '../declarations/storage.ts';
import type { UsageCounters } from '../ports.ts';
import { isConditionFailure } from './dynamo-errors.ts';

const { attributes: A } = LINKS_TABLE;

/** Rounds of "read what is left, take exactly that" before a busy counter counts as full. */
const MAX_ROUNDS = 5;

export class DynamoUsageCounters implements UsageCounters {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async take(name: string, amount: number, limit: number, expiresAt: Date): Promise<number> {
    // The common case: room for all of it, one write.
    if (amount <= limit && (await this.add(name, amount, expiresAt, { atMost: limit - amount }))) return amount;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const used = await this.peek(name);
      const left = Math.min(amount, limit - used);
      if (left <= 0) return 0;
      if (await this.add(name, left, expiresAt, used === 0 ? { atMost: limit - left } : { exactly: used })) return left;
    }
    return 0;
  }

  async giveBack(name: string, amount: number): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { [A.link]: key(name) },
          UpdateExpression: 'ADD #used :minus',
          ConditionExpression: '#used >= :amount',
          ExpressionAttributeNames: { '#used': A.used },
          ExpressionAttributeValues: { ':minus': -amount, ':amount': amount },
        }),
      );
    } catch (error) {
      // Never below zero; a counter already gone (a new period) has nothing to give back.
      if (!isConditionFailure(error)) throw error;
    }
  }

  async peek(name: string): Promise<number> {
    const { Item } = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { [A.link]: key(name) },
        ConsistentRead: true,
        ProjectionExpression: '#used',
        ExpressionAttributeNames: { '#used': A.used },
      }),
    );
    const used = Item?.[A.used];
    return typeof used === 'number' ? used : 0;
  }

  private async add(
    name: string,
    amount: number,
    expiresAt: Date,
    expected: { atMost: number } | { exactly: number },
  ): Promise<boolean> {
    const exact = 'exactly' in expected;
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { [A.link]: key(name) },
          UpdateExpression: 'ADD #used :amount SET #purgeAt = :purgeAt',
          ConditionExpression: exact ? '#used = :seen' : 'attribute_not_exists(#used) OR #used <= :atMost',
          ExpressionAttributeNames: { '#used': A.used, '#purgeAt': LINKS_TABLE.timeToLiveAttribute },
          ExpressionAttributeValues: {
            ':amount': amount,
            ':purgeAt': Math.ceil(expiresAt.getTime() / 1000),
            ...(exact ? { ':seen': expected.exactly } : { ':atMost': expected.atMost }),
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}

const key = (name: string) => `${LINKS_TABLE.usageKeyPrefix}${name}`;

import { describe, expect, it } from 'vitest';
import type { AwsJsonClient } from '../../../lambdas/adapters/aws-json-client.ts';
import { LeanDynamoLinkTargets } from '../../../lambdas/adapters/lean-dynamo-link-targets.ts';

/** Answers GetItem with `item`, recording what was asked. */
function fakeClient(item: Record<string, { S: string }> | undefined) {
  const calls: { operation: string; input: unknown }[] = [];
  const client = {
    call: async (operation: string, input: unknown) => {
      calls.push({ operation, input });
      return item ? { Item: item } : {};
    },
  } as unknown as AwsJsonClient;
  return { client, calls };
}

describe('links-api', () => {
  describe('the redirect read on Lambda (lean client)', () => {
    it('R6.7 R11.4 asks for url, created, expiry and takedown in its one GetItem', async () => {
      const { client, calls } = fakeClient({ url: { S: 'https://e.example/' }, created: { S: 'c' } });
      expect(await new LeanDynamoLinkTargets(client, 'links-prod').findTarget('abc1234')).toEqual({
        url: 'https://e.example/',
        created: 'c',
      });
      expect(calls).toEqual([
        {
          operation: 'GetItem',
          input: {
            TableName: 'links-prod',
            Key: { link: { S: 'abc1234' } },
            ProjectionExpression: '#url, #created, #expiresAt, #disabledAt',
            ExpressionAttributeNames: {
              '#url': 'url',
              '#created': 'created',
              '#expiresAt': 'expiresAt',
              '#disabledAt': 'disabledAt',
            },
          },
        },
      ]);
    });

    it('R11.2 public-safety R5.2 reports expiry and takedown, so that the redirect answers 410', async () => {
      const { client } = fakeClient({
        url: { S: 'https://e.example/' },
        created: { S: 'c' },
        expiresAt: { S: '2027-01-01T00:00:00.000Z' },
        disabledAt: { S: 'then' },
      });
      expect(await new LeanDynamoLinkTargets(client, 't').findTarget('abc1234')).toEqual({
        url: 'https://e.example/',
        created: 'c',
        expiresAt: '2027-01-01T00:00:00.000Z',
        disabled: true,
      });
    });

    it('R12.4 reads a retired code as unknown', async () => {
      const { client } = fakeClient({ retiredBy: { S: 'user-a' } });
      expect(await new LeanDynamoLinkTargets(client, 't').findTarget('abc1234')).toBeUndefined();
    });
  });
});

import { describe, expect, it } from 'vitest';
import type { AwsJsonClient } from '../../../lambdas/adapters/aws-json-client.ts';
import { LeanDynamoLinkTargets } from '../../../lambdas/adapters/lean-dynamo-link-targets.ts';

function client(answers: unknown[]) {
  const calls: [string, unknown][] = [];
  const fake = {
    call: async (operation: string, input: unknown) => {
      calls.push([operation, input]);
      return answers.shift();
    },
  } as unknown as AwsJsonClient;
  return { fake, calls };
}

describe('links-api', () => {
  it("R6.7 the redirect's lean read asks GetItem for url and incarnation (created for links stored before ids)", async () => {
    const { fake, calls } = client([
      { Item: { url: { S: 'https://example.com/' }, incarnation: { S: 'inc-1' }, created: { S: 'c' } } },
      { Item: { url: { S: 'https://example.com/' }, created: { S: '2026-01-01T00:00:00.000Z' } } },
      {},
    ]);
    const targets = new LeanDynamoLinkTargets(fake, 'links');
    expect(await targets.findTarget('abc')).toEqual({ url: 'https://example.com/', incarnation: 'inc-1' });
    expect(await targets.findTarget('abc')).toEqual({
      url: 'https://example.com/',
      incarnation: '2026-01-01T00:00:00.000Z',
    });
    expect(await targets.findTarget('abc')).toBeUndefined();
    expect(calls[0]).toEqual([
      'GetItem',
      {
        TableName: 'links',
        Key: { link: { S: 'abc' } },
        ProjectionExpression: '#url, #incarnation, #created',
        ExpressionAttributeNames: { '#url': 'url', '#incarnation': 'incarnation', '#created': 'created' },
      },
    ]);
  });
});

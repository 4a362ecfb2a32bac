// Local mode creates its table and stream with lib/local/schema.ts; they must be what the stack deploys.
import { describe, expect, it } from 'vitest';
import { createStreamInput, createTableInput } from '../../lib/local/schema.ts';
import { onlyResource, synthesize } from './synth.ts';

const { template } = synthesize();
const sortedByName = <T extends { AttributeName?: string }>(items: readonly T[] = []) =>
  [...items].sort((a, b) => String(a.AttributeName).localeCompare(String(b.AttributeName)));

describe('aws-deployment', () => {
  const table = onlyResource(template, 'AWS::DynamoDB::Table').properties;
  const local = createTableInput('links');

  it('R10.1 the local table has the key schema, attribute types and billing mode of the deployed one', () => {
    expect(local.KeySchema).toEqual(table.KeySchema);
    expect(sortedByName(local.AttributeDefinitions)).toEqual(
      sortedByName(table.AttributeDefinitions as Array<{ AttributeName: string }>),
    );
    expect(local.BillingMode).toBe(table.BillingMode);
  });

  it('R10.1 the local byCreator index has the keys and projection of the deployed one', () => {
    expect(local.GlobalSecondaryIndexes).toEqual(table.GlobalSecondaryIndexes);
  });

  it('R10.2 the local stream has the shard count of the deployed (provisioned) one', () => {
    const stream = onlyResource(template, 'AWS::Kinesis::Stream').properties;
    const localStream = createStreamInput('clicks');
    expect(localStream.ShardCount).toBe(stream.ShardCount);
    expect(localStream.StreamModeDetails?.StreamMode ?? 'PROVISIONED').toBe(
      (stream.StreamModeDetails as { StreamMode: string }).StreamMode,
    );
  });
});

// What local mode creates on the emulators, read back through the real AWS SDK, must be exactly what
// `lambdas/declarations/` declares (the CDK stack deploys from the same declarations).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_NAMES } from '../../lambdas/declarations/runtime.ts';
import { LINKS_TABLE } from '../../lambdas/declarations/storage.ts';
import { CLICK_STREAM } from '../../lambdas/declarations/stream.ts';
import { callCognito } from '../../lib/local/cognito-api.ts';
import { PASSWORD_POLICY } from '../../lib/local/provision.ts';
import { createStreamInput, createTableInput } from '../../lib/local/schema.ts';
import { startTestSystem, type TestSystem } from '../support/local-system.ts';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

describe('local-mode', () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await startTestSystem();
  });
  afterAll(() => system?.dispose());

  it('R2.1 creates the links table with the key schema and the creator index of the definitions', async () => {
    const client = new DynamoDBClient({ region: LOCAL_NAMES.region, endpoint: system.endpoints.dynamodb, credentials });
    const { Table } = await client.send(new DescribeTableCommand({ TableName: LOCAL_NAMES.table }));
    client.destroy();
    expect(Table?.TableStatus).toBe('ACTIVE');
    expect(Table?.KeySchema).toEqual([{ AttributeName: LINKS_TABLE.partitionKey.name, KeyType: 'HASH' }]);
    const index = LINKS_TABLE.creatorIndex;
    expect(Table?.AttributeDefinitions).toEqual(
      expect.arrayContaining([
        { AttributeName: LINKS_TABLE.partitionKey.name, AttributeType: LINKS_TABLE.partitionKey.type },
        { AttributeName: index.partitionKey.name, AttributeType: index.partitionKey.type },
        { AttributeName: index.sortKey.name, AttributeType: index.sortKey.type },
      ]),
    );
    expect(Table?.AttributeDefinitions).toHaveLength(3);
    expect(Table?.GlobalSecondaryIndexes).toHaveLength(1);
    expect(Table?.GlobalSecondaryIndexes?.[0]).toMatchObject({
      IndexName: index.name,
      IndexStatus: 'ACTIVE',
      KeySchema: [
        { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
        { AttributeName: index.sortKey.name, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.nonKeyAttributes] },
    });
    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
  });

  it('R2.2 creates the click stream with the shard count and retention of the definitions', async () => {
    const client = new KinesisClient({
      region: LOCAL_NAMES.region,
      endpoint: system.endpoints.kinesis,
      credentials,
      requestHandler: new NodeHttpHandler(),
    });
    const { StreamDescription } = await client.send(new DescribeStreamCommand({ StreamName: LOCAL_NAMES.stream }));
    client.destroy();
    expect(StreamDescription?.StreamStatus).toBe('ACTIVE');
    expect(StreamDescription?.Shards).toHaveLength(CLICK_STREAM.shardCount);
    expect(StreamDescription?.RetentionPeriodHours).toBe(CLICK_STREAM.retentionHours);
  });

  it('R2.4 creates a user pool with email user names and the deployed password policy, and a public app client', async () => {
    const { endpoint, userPoolId, clientId } = system.pageConfig.cognito;
    const { UserPool } = await callCognito<{ UserPool: Record<string, unknown> }>(endpoint, 'DescribeUserPool', {
      UserPoolId: userPoolId,
    });
    expect(UserPool.UsernameAttributes).toEqual(['email']);
    expect(UserPool.Policies).toEqual({ PasswordPolicy: PASSWORD_POLICY });
    const { UserPoolClient } = await callCognito<{ UserPoolClient: Record<string, unknown> }>(
      endpoint,
      'DescribeUserPoolClient',
      { UserPoolId: userPoolId, ClientId: clientId },
    );
    expect(UserPoolClient.ClientSecret).toBeUndefined();
    expect(UserPoolClient.ExplicitAuthFlows).toEqual(['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']);
  });

  it('R8.1 reports where everything listens: the gateway URL and port, the emulator endpoints, the data folder', async () => {
    expect(system.url).toBe(`http://127.0.0.1:${system.port}`);
    expect(system.port).toBeGreaterThan(0);
    for (const endpoint of Object.values(system.endpoints)) expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${system.endpoints.cognito}/health`)).status).toBe(200);
    const state = JSON.parse(await readFile(path.join(system.dataDir, 'state.json'), 'utf8'));
    expect(state).toEqual({
      cognitoPort: Number(new URL(system.endpoints.cognito).port),
      userPoolId: system.pageConfig.cognito.userPoolId,
      clientId: system.pageConfig.cognito.clientId,
    });
  });

  it('R2.3 builds the table and stream inputs from the definitions alone, as pure functions', () => {
    expect(createTableInput('t')).toEqual(createTableInput('t'));
    expect(createTableInput('other-name').TableName).toBe('other-name');
    expect(createStreamInput('s')).toEqual({ StreamName: 's', ShardCount: CLICK_STREAM.shardCount });
  });
});

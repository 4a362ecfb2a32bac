// Idempotent creation of what local mode needs on the emulators: the table (with its GSI), the click
// stream, and the Cognito user pool with the page's app client. Safe to run on every start.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceNotFoundException as TableNotFound,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  type KinesisClient,
  ResourceNotFoundException as StreamNotFound,
  waitUntilStreamExists,
} from '@aws-sdk/client-kinesis';
import { OPERATORS_GROUP, PASSWORD_POLICY as POOL_PASSWORD_POLICY } from '../../lambdas/declarations/identity.ts';
import { LOCAL_NAMES } from '../../lambdas/declarations/runtime.ts';
import { CognitoApiError, callCognito } from './cognito-api.ts';
import { createStreamInput, createTableInput } from './schema.ts';

/** What must survive a restart so that old tokens keep verifying: `<dataDir>/state.json`. */
export interface LocalState {
  cognitoPort?: number;
  userPoolId?: string;
  clientId?: string;
}

export async function readState(dataDir: string): Promise<LocalState> {
  try {
    return JSON.parse(await readFile(path.join(dataDir, 'state.json'), 'utf8')) as LocalState;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
}

/** Writes a JSON file atomically (temp file + rename), so a crash never leaves half a file. */
export async function writeJsonFile(file: string, value: unknown): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(value, null, 2)}\n`);
  await rename(temporary, file);
}

export const writeState = (dataDir: string, state: LocalState): Promise<void> =>
  writeJsonFile(path.join(dataDir, 'state.json'), state);

const WAIT = { minDelay: 1, maxDelay: 2, maxWaitTime: 30 };

export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
  } catch (error) {
    if (!(error instanceof TableNotFound)) throw error;
    await client.send(new CreateTableCommand(createTableInput(tableName)));
  }
  await waitUntilTableExists({ client, ...WAIT }, { TableName: tableName });
}

/** Creates the stream unless it exists; returns its ARN. */
export async function ensureStream(client: KinesisClient, streamName: string): Promise<string> {
  try {
    await client.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
  } catch (error) {
    if (!(error instanceof StreamNotFound)) throw error;
    await client.send(new CreateStreamCommand(createStreamInput(streamName)));
  }
  await waitUntilStreamExists({ client, ...WAIT }, { StreamName: streamName });
  const summary = await client.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
  const arn = summary.StreamDescriptionSummary?.StreamARN;
  if (!arn) throw new Error(`stream ${streamName} has no ARN`);
  return arn;
}

/** The deployed pool's password policy in the Cognito API's shape, so a password accepted locally is accepted on AWS. */
export const PASSWORD_POLICY = {
  MinimumLength: POOL_PASSWORD_POLICY.minLength,
  RequireLowercase: POOL_PASSWORD_POLICY.requireLowercase,
  RequireUppercase: POOL_PASSWORD_POLICY.requireUppercase,
  RequireNumbers: POOL_PASSWORD_POLICY.requireDigits,
  RequireSymbols: POOL_PASSWORD_POLICY.requireSymbols,
  TemporaryPasswordValidityDays: POOL_PASSWORD_POLICY.temporaryPasswordValidityDays,
} as const;

export interface UserPoolIds {
  userPoolId: string;
  clientId: string;
}

const isNotFound = (error: unknown) => error instanceof CognitoApiError && error.type === 'ResourceNotFoundException';

/** Reuses the pool and client recorded in `known` when they still exist, otherwise creates them. */
export async function ensureUserPool(endpoint: string, known: Partial<UserPoolIds>): Promise<UserPoolIds> {
  let userPoolId = known.userPoolId;
  if (userPoolId && !(await exists(() => callCognito(endpoint, 'DescribeUserPool', { UserPoolId: userPoolId })))) {
    userPoolId = undefined;
  }
  if (!userPoolId) {
    const created = await callCognito<{ UserPool: { Id: string } }>(endpoint, 'CreateUserPool', {
      PoolName: LOCAL_NAMES.userPool,
      UsernameAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
      UsernameConfiguration: { CaseSensitive: false },
      Policies: { PasswordPolicy: PASSWORD_POLICY },
    });
    userPoolId = created.UserPool.Id;
  }
  const poolId = userPoolId;
  let clientId = userPoolId === known.userPoolId ? known.clientId : undefined;
  if (
    clientId &&
    !(await exists(() => callCognito(endpoint, 'DescribeUserPoolClient', { UserPoolId: poolId, ClientId: clientId })))
  ) {
    clientId = undefined;
  }
  if (!clientId) {
    const created = await callCognito<{ UserPoolClient: { ClientId: string } }>(endpoint, 'CreateUserPoolClient', {
      UserPoolId: poolId,
      ClientName: LOCAL_NAMES.appClient,
      GenerateSecret: false,
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    });
    clientId = created.UserPoolClient.ClientId;
  }
  // As the stack does on AWS: the operators' group exists, empty; `AdminAddUserToGroup` makes someone an
  // operator. Created only when missing: cognito-local's CreateGroup would replace it, members and all.
  // (ListGroups rather than GetGroup: cognito-local answers GetGroup with a 500 while a pool has no group.)
  const { Groups = [] } = await callCognito<{ Groups?: { GroupName: string }[] }>(endpoint, 'ListGroups', {
    UserPoolId: poolId,
  });
  if (!Groups.some((group) => group.GroupName === OPERATORS_GROUP)) {
    await callCognito(endpoint, 'CreateGroup', {
      UserPoolId: poolId,
      GroupName: OPERATORS_GROUP,
      Description: 'May disable and enable any link',
    });
  }
  return { userPoolId: poolId, clientId };
}

async function exists(describe: () => Promise<unknown>): Promise<boolean> {
  try {
    await describe();
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

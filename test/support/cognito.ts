// Real Cognito tokens for tests, obtained from the local system's cognito-local exactly as the page
// does (SignUp, then USER_PASSWORD_AUTH), with the admin confirm that local mode allows.
import { createSign, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { OPERATORS_GROUP } from '../../lambdas/declarations/identity.ts';
import { callCognito } from '../../lib/local/cognito-api.ts';

export interface CognitoSettings {
  endpoint: string;
  userPoolId: string;
  clientId: string;
}

export interface Tokens {
  accessToken: string;
  idToken: string;
  refreshToken: string;
  /** The Cognito `sub`: the `creator` of the user's links. */
  sub: string;
}

export interface TestUser extends Tokens {
  email: string;
  password: string;
}

/** Meets the deployed password policy: 12+ characters, upper, lower, digit and symbol. */
export const TEST_PASSWORD = 'Corr3ct-Horse-Battery!';

export const uniqueEmail = (label = 'user') => `${label}-${randomUUID()}@example.com`;

/** Signs up a new user, confirms it (AdminConfirmSignUp) and signs it in. */
export async function createUser(cognito: CognitoSettings, email = uniqueEmail()): Promise<TestUser> {
  await callCognito(cognito.endpoint, 'SignUp', {
    ClientId: cognito.clientId,
    Username: email,
    Password: TEST_PASSWORD,
    UserAttributes: [{ Name: 'email', Value: email }],
  });
  await callCognito(cognito.endpoint, 'AdminConfirmSignUp', { UserPoolId: cognito.userPoolId, Username: email });
  return { email, password: TEST_PASSWORD, ...(await signIn(cognito, email, TEST_PASSWORD)) };
}

export async function signIn(cognito: CognitoSettings, email: string, password: string): Promise<Tokens> {
  const { AuthenticationResult: result } = await callCognito<{
    AuthenticationResult: { AccessToken: string; IdToken: string; RefreshToken: string };
  }>(cognito.endpoint, 'InitiateAuth', {
    AuthFlow: 'USER_PASSWORD_AUTH',
    ClientId: cognito.clientId,
    AuthParameters: { USERNAME: email, PASSWORD: password },
  });
  return {
    accessToken: result.AccessToken,
    idToken: result.IdToken,
    refreshToken: result.RefreshToken,
    sub: String(jwtPayload(result.IdToken).sub),
  };
}

/** A second app client in the same pool: its tokens have the right issuer but the wrong client. */
export async function otherAppClient(cognito: CognitoSettings): Promise<CognitoSettings> {
  const { UserPoolClient } = await callCognito<{ UserPoolClient: { ClientId: string } }>(
    cognito.endpoint,
    'CreateUserPoolClient',
    { UserPoolId: cognito.userPoolId, ClientName: `other-${randomUUID()}`, GenerateSecret: false },
  );
  return { ...cognito, clientId: UserPoolClient.ClientId };
}

/** A second pool on the same emulator: same signing key, another issuer. */
export async function otherUserPool(cognito: CognitoSettings): Promise<CognitoSettings> {
  const { UserPool } = await callCognito<{ UserPool: { Id: string } }>(cognito.endpoint, 'CreateUserPool', {
    PoolName: `other-${randomUUID()}`,
    UsernameAttributes: ['email'],
  });
  const { UserPoolClient } = await callCognito<{ UserPoolClient: { ClientId: string } }>(
    cognito.endpoint,
    'CreateUserPoolClient',
    { UserPoolId: UserPool.Id, ClientName: 'other', GenerateSecret: false },
  );
  return { endpoint: cognito.endpoint, userPoolId: UserPool.Id, clientId: UserPoolClient.ClientId };
}

export function jwtPayload(token: string): Record<string, unknown> {
  const payload = token.split('.')[1];
  if (!payload) throw new Error('not a JWT');
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** The same token with one character of its payload changed, signature kept: must fail verification. */
export function tamper(token: string): string {
  const [header, payload, signature] = token.split('.');
  if (!header || !payload || !signature) throw new Error('not a JWT');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  claims.sub = randomUUID();
  return `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
}

/**
 * Re-signs a real token with cognito-local's (public, fixed) private key after changing claims, e.g.
 * an `exp` in the past: a token that is genuine in every respect except the changed claims.
 */
export function resign(token: string, changes: Record<string, unknown>): string {
  const [header, payload] = token.split('.');
  if (!header || !payload) throw new Error('not a JWT');
  const claims = { ...(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as object), ...changes };
  const signingInput = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  const signature = createSign('RSA-SHA256').update(signingInput).sign(cognitoLocalPrivateKey(), 'base64url');
  return `${signingInput}.${signature}`;
}

function cognitoLocalPrivateKey(): string {
  const require = createRequire(import.meta.url);
  const file = require.resolve('cognito-local/lib/keys/cognitoLocal.private.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { pem: string }).pem;
}

/** Makes an existing user a member of the operators' group and signs them in again, so the token carries it. */
export async function makeOperator(cognito: CognitoSettings, user: TestUser): Promise<TestUser> {
  await callCognito(cognito.endpoint, 'AdminAddUserToGroup', {
    UserPoolId: cognito.userPoolId,
    Username: user.email,
    GroupName: OPERATORS_GROUP,
  });
  return { ...user, ...(await signIn(cognito, user.email, user.password)) };
}

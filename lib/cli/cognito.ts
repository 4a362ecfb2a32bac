// Sign-in against the Cognito Identity Provider API that `/config.json` names (AWS or local mode):
// USER_PASSWORD_AUTH to log in, REFRESH_TOKEN_AUTH to renew, RevokeToken to log out.

import { authError, CliError, EXIT } from './errors.ts';

export interface PageConfig {
  region?: string;
  cognito: { endpoint: string; userPoolId?: string; clientId: string };
}

export interface SignedIn {
  accessToken: string;
  idToken: string;
  /** Absent when Cognito renews the access token only. */
  refreshToken?: string;
}

/** `GET <base>/config.json`: where to sign in for this deployment. */
export async function fetchPageConfig(base: string, fetchImpl: typeof fetch): Promise<PageConfig> {
  let response: Response;
  try {
    response = await fetchImpl(`${base}/config.json`, { signal: AbortSignal.timeout(15_000) });
  } catch (error) {
    throw new CliError(`cannot reach ${base}: ${reason(error)}`, EXIT.unavailable);
  }
  const config = (await response.json().catch(() => undefined)) as PageConfig | undefined;
  if (!response.ok || typeof config?.cognito?.endpoint !== 'string' || typeof config.cognito.clientId !== 'string') {
    throw new CliError(`${base} does not look like this shortener (no usable /config.json)`, EXIT.usage);
  }
  return config;
}

async function callCognito(
  endpoint: string,
  operation: string,
  input: Record<string, unknown>,
  fetchImpl: typeof fetch,
): Promise<Record<string, unknown>> {
  let response: Response;
  try {
    response = await fetchImpl(endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': `AWSCognitoIdentityProviderService.${operation}`,
      },
      body: JSON.stringify(input),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (error) {
    throw new CliError(`cannot reach the sign-in service ${endpoint}: ${reason(error)}`, EXIT.unavailable);
  }
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (response.ok) return body;
  const type =
    String(body.__type ?? '')
      .split('#')
      .pop() ?? '';
  const message = String(body.message ?? `HTTP ${response.status}`);
  if (response.status >= 500) throw new CliError(`sign-in service failed: ${message}`, EXIT.unavailable);
  throw Object.assign(authError(messageFor(type, message)), { cognitoType: type });
}

function messageFor(type: string, message: string): string {
  switch (type) {
    case 'NotAuthorizedException':
    case 'UserNotFoundException':
    case 'InvalidPasswordException':
      return `wrong e-mail or password (${message})`;
    case 'UserNotConfirmedException':
      return 'this account is not confirmed yet: confirm it with the code you received, in the page';
    case 'PasswordResetRequiredException':
      return 'a password reset is required: reset it in the page, then log in again';
    default:
      return `sign-in refused: ${type || 'error'}: ${message}`;
  }
}

function tokensOf(body: Record<string, unknown>): SignedIn {
  const result = body.AuthenticationResult as Record<string, string> | undefined;
  if (!result?.AccessToken || !result.IdToken) {
    const challenge = typeof body.ChallengeName === 'string' ? body.ChallengeName : 'an extra step';
    throw authError(
      `sign-in needs ${challenge}, which this client does not do: finish it in the page, then log in again`,
    );
  }
  return { accessToken: result.AccessToken, idToken: result.IdToken, refreshToken: result.RefreshToken };
}

/** `InitiateAuth` with the app client of `/config.json`: a password sign-in or a renewal. */
function initiateAuth(
  cognito: PageConfig['cognito'],
  flow: 'USER_PASSWORD_AUTH' | 'REFRESH_TOKEN_AUTH',
  parameters: Record<string, string>,
  fetchImpl: typeof fetch,
): Promise<SignedIn> {
  const input = { AuthFlow: flow, ClientId: cognito.clientId, AuthParameters: parameters };
  return callCognito(cognito.endpoint, 'InitiateAuth', input, fetchImpl).then(tokensOf);
}

export function passwordSignIn(
  cognito: PageConfig['cognito'],
  email: string,
  password: string,
  fetchImpl: typeof fetch,
): Promise<SignedIn> {
  return initiateAuth(cognito, 'USER_PASSWORD_AUTH', { USERNAME: email, PASSWORD: password }, fetchImpl);
}

export function refreshSignIn(
  cognito: PageConfig['cognito'],
  refreshToken: string,
  fetchImpl: typeof fetch,
): Promise<SignedIn> {
  return initiateAuth(cognito, 'REFRESH_TOKEN_AUTH', { REFRESH_TOKEN: refreshToken }, fetchImpl);
}

/** Best effort: the refresh token stops working on AWS; local mode's emulator may not support it. */
export async function revokeRefreshToken(
  cognito: PageConfig['cognito'],
  refreshToken: string,
  fetchImpl: typeof fetch,
): Promise<boolean> {
  try {
    await callCognito(cognito.endpoint, 'RevokeToken', { ClientId: cognito.clientId, Token: refreshToken }, fetchImpl);
    return true;
  } catch {
    return false;
  }
}

/** The `exp` claim of a JWT, in milliseconds; 0 when unreadable (treated as expired). */
export function expiryOf(token: string): number {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
      exp?: unknown;
    };
    return typeof payload.exp === 'number' ? payload.exp * 1000 : 0;
  } catch {
    return 0;
  }
}

export function reason(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
  }
  return String(error);
}

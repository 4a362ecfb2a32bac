// The Cognito Identity Provider JSON protocol over plain fetch: what the page does in the browser,
// and what local mode and the tests use to set up pools and users on cognito-local.

export class CognitoApiError extends Error {
  constructor(
    readonly operation: string,
    readonly type: string,
    message: string,
  ) {
    super(`${operation}: ${type}: ${message}`);
    this.name = 'CognitoApiError';
  }
}

export async function callCognito<T = Record<string, unknown>>(
  endpoint: string,
  operation: string,
  input: Record<string, unknown>,
): Promise<T> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `AWSCognitoIdentityProviderService.${operation}`,
    },
    body: JSON.stringify(input),
  });
  const text = await response.text();
  const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  if (!response.ok) {
    throw new CognitoApiError(operation, String(body.__type ?? response.status), String(body.message ?? text));
  }
  return body as T;
}

// What the HTTP API JWT authorizer does on AWS, done locally: verify the bearer token's signature
// against the pool's JWKS, its issuer, expiry and app client, and hand the claims on as strings.
import { JwtRsaVerifier } from 'aws-jwt-verify';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';

export interface JwtAuthorizerContext {
  claims: Record<string, string>;
  scopes: string[] | null;
}

/** Resolves the authorizer context for a valid token, undefined for anything else. */
export type Authorizer = (authorizationHeader: string | undefined) => Promise<JwtAuthorizerContext | undefined>;

export function jwtAuthorizer(options: { issuer: string; clientId: string }): Authorizer {
  const { issuer, clientId } = options;
  // aws-jwt-verify only fetches https by default; cognito-local serves its keys over http.
  const jwksCache = new SimpleJwksCache({
    fetcher: { fetch: async (uri) => (await fetch(uri)).arrayBuffer() },
  });
  const jwksUri = `${issuer}/.well-known/jwks.json`;
  // Access tokens carry no `aud`: the app client is in `client_id`, checked here as API Gateway does.
  const accessTokens = JwtRsaVerifier.create(
    {
      issuer,
      jwksUri,
      audience: null,
      customJwtCheck: ({ payload }) => {
        if (payload.token_use !== 'access') throw new Error('not an access token');
        if (payload.client_id !== clientId) throw new Error('token of another app client');
      },
    },
    { jwksCache },
  );
  const idTokens = JwtRsaVerifier.create(
    {
      issuer,
      jwksUri,
      audience: clientId,
      customJwtCheck: ({ payload }) => {
        if (payload.token_use !== 'id') throw new Error('not an ID token');
      },
    },
    { jwksCache },
  );

  return async (header) => {
    const token = bearerToken(header);
    if (!token) return undefined;
    for (const verifier of [accessTokens, idTokens]) {
      try {
        const payload = await verifier.verify(token);
        return { claims: stringClaims(payload), scopes: scopesOf(payload) };
      } catch {
        // Try the other token kind; neither passing means 401.
      }
    }
    return undefined;
  };
}

/** API Gateway takes the token with or without the `Bearer ` prefix. */
function bearerToken(header: string | undefined): string | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(value);
  if (match) return match[1];
  return /\s/.test(value) ? undefined : value;
}

/** API Gateway passes every claim as a string; arrays become `[a b]`. */
function stringClaims(payload: JwtPayload): Record<string, string> {
  const claims: Record<string, string> = {};
  for (const [name, value] of Object.entries(payload)) {
    if (value === undefined || value === null) continue;
    claims[name] = Array.isArray(value)
      ? `[${value.join(' ')}]`
      : typeof value === 'object'
        ? JSON.stringify(value)
        : String(value);
  }
  return claims;
}

function scopesOf(payload: JwtPayload): string[] | null {
  return typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : null;
}

// AWS Signature Version 4 for the redirect's lean client: one JSON POST to a service endpoint's root.
// Written here rather than taken from @smithy/signature-v4 for the cold start: loading that package (143 KB
// bundled) costs about 21 ms of CPU, a third of the redirect's init, for two calls that need a few HMACs.
// A unit test holds it to the SDK's signer, header for header.
import { createHash, createHmac } from 'node:crypto';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface SigningInput {
  /** `host[:port]` exactly as the request sends it. */
  host: string;
  /** The request path; the JSON protocols post to `/`. */
  path: string;
  /** Further headers to send and sign (`content-type`, `x-amz-target`); names in lower case. */
  headers: Record<string, string>;
  body: string;
  region: string;
  service: string;
  credentials: Credentials;
  date?: Date;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';

const sha256Hex = (data: string): string => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data).digest();

/**
 * The path as sent (already percent-encoded, as `URL.pathname` is) encoded once more, segment by segment, as
 * RFC 3986 wants: SigV4 encodes paths twice for every service but S3.
 */
function canonicalPath(path: string): string {
  const encode = (segment: string) =>
    encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return path.split('/').map(encode).join('/');
}

/** The headers to send for a POST signed with `credentials`: the input's, plus host, date, payload hash, token and authorization. */
export function signedPostHeaders(input: SigningInput): Record<string, string> {
  const longDate = (input.date ?? new Date()).toISOString().replace(/[:-]|\.\d{3}/g, '');
  const shortDate = longDate.slice(0, 8);
  const payloadHash = sha256Hex(input.body);
  const headers: Record<string, string> = {
    ...input.headers,
    host: input.host,
    'x-amz-date': longDate,
    'x-amz-content-sha256': payloadHash,
    ...(input.credentials.sessionToken ? { 'x-amz-security-token': input.credentials.sessionToken } : {}),
  };
  const names = Object.keys(headers).sort();
  const canonicalHeaders = names.map((name) => `${name}:${String(headers[name]).trim().replace(/\s+/g, ' ')}\n`);
  const signedHeaders = names.join(';');
  const canonicalRequest = [
    'POST',
    canonicalPath(input.path),
    '',
    canonicalHeaders.join(''),
    signedHeaders,
    payloadHash,
  ];
  const scope = `${shortDate}/${input.region}/${input.service}/aws4_request`;
  const stringToSign = [ALGORITHM, longDate, scope, sha256Hex(canonicalRequest.join('\n'))].join('\n');
  let key = hmac(`AWS4${input.credentials.secretAccessKey}`, shortDate);
  for (const part of [input.region, input.service, 'aws4_request']) key = hmac(key, part);
  const signature = createHmac('sha256', key).update(stringToSign).digest('hex');
  return {
    ...headers,
    authorization: `${ALGORITHM} Credential=${input.credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
  };
}

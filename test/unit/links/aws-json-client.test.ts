// The redirect's lean AWS client against a recording server on 127.0.0.1. dynalite and kinesalite do not
// check signatures, so the Signature V4 header is recomputed here from AWS's published algorithm.
import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsJsonClient, AwsServiceError } from '../../../lambdas/adapters/aws-json-client.ts';
import { LeanDynamoLinkTargets } from '../../../lambdas/adapters/lean-dynamo-link-targets.ts';

interface Seen {
  headers: IncomingHttpHeaders;
  body: string;
}

let server: Server;
let endpoint: string;
const seen: Seen[] = [];
/** Answers, in order; the last one repeats. */
let answers: { status: number; body: unknown }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => {
      seen.push({ headers: req.headers, body });
      const answer = answers.length > 1 ? answers.shift() : answers[0];
      res.writeHead(answer?.status ?? 200, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(JSON.stringify(answer?.body ?? {}));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const env = () => ({
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  AWS_SESSION_TOKEN: 'session-token',
  AWS_ENDPOINT_URL_DYNAMODB: endpoint,
});

const dynamodb = () =>
  new AwsJsonClient({
    service: 'dynamodb',
    targetPrefix: 'DynamoDB_20120810',
    contentType: 'application/x-amz-json-1.0',
    env: env(),
  });

/** AWS Signature Version 4, written from the algorithm's description, for the request as the server saw it. */
function expectedSignature(request: Seen, secret: string, region: string, service: string): string {
  const authorization = String(request.headers.authorization);
  const signedHeaders = /SignedHeaders=([^,]+)/.exec(authorization)?.[1]?.split(';') ?? [];
  const date = String(request.headers['x-amz-date']);
  const canonical = [
    'POST',
    '/',
    '',
    ...signedHeaders.map((name) => `${name}:${String(request.headers[name]).trim()}`),
    '',
    signedHeaders.join(';'),
    createHash('sha256').update(request.body).digest('hex'),
  ].join('\n');
  const scope = `${date.slice(0, 8)}/${region}/${service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', date, scope, createHash('sha256').update(canonical).digest('hex')].join('\n');
  let key: Buffer = createHmac('sha256', `AWS4${secret}`).update(date.slice(0, 8)).digest();
  for (const part of [region, service, 'aws4_request']) key = createHmac('sha256', key).update(part).digest();
  return createHmac('sha256', key).update(toSign).digest('hex');
}

describe('lambda-runtime', () => {
  it('R6.4 sends one signed JSON POST per call: target, content type, session token and a valid Signature V4', async () => {
    seen.length = 0;
    answers = [{ status: 200, body: { Item: { url: { S: 'https://example.com/' } } } }];
    const answer = await dynamodb().call('GetItem', { TableName: 'links', Key: { link: { S: 'abc' } } });
    expect(answer).toEqual({ Item: { url: { S: 'https://example.com/' } } });
    expect(seen).toHaveLength(1);
    const [request] = seen as [Seen];
    expect(request.headers['x-amz-target']).toBe('DynamoDB_20120810.GetItem');
    expect(request.headers['content-type']).toBe('application/x-amz-json-1.0');
    expect(request.headers['x-amz-security-token']).toBe('session-token');
    expect(JSON.parse(request.body)).toEqual({ TableName: 'links', Key: { link: { S: 'abc' } } });
    const authorization = String(request.headers.authorization);
    expect(authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/dynamodb\/aws4_request, SignedHeaders=[^,]*host[^,]*x-amz-target[^,]*, Signature=[0-9a-f]{64}$/,
    );
    expect(authorization.split('Signature=')[1]).toBe(
      expectedSignature(request, 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', 'eu-west-1', 'dynamodb'),
    );
  });

  it('R2.2 an error answer becomes an AwsServiceError named after its type, and the client does not retry it', async () => {
    seen.length = 0;
    answers = [
      {
        status: 400,
        body: {
          __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
          message: 'Rate exceeded',
        },
      },
    ];
    const error = await dynamodb()
      .call('GetItem', {})
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AwsServiceError);
    expect(error).toMatchObject({
      name: 'ProvisionedThroughputExceededException',
      message: 'Rate exceeded',
      status: 400,
    });
    expect(seen).toHaveLength(1);
  });

  it('R6.4 the redirect’s read retries once after a server error, never after a client error', async () => {
    seen.length = 0;
    answers = [
      { status: 500, body: { __type: 'InternalServerError', message: 'try again' } },
      {
        status: 200,
        body: { Item: { url: { S: 'https://example.com/' }, created: { S: '2026-11-29T00:00:00.000Z' } } },
      },
    ];
    const targets = new LeanDynamoLinkTargets(dynamodb(), 'links');
    expect(await targets.findTarget('abc')).toEqual({
      url: 'https://example.com/',
      incarnation: '2026-11-29T00:00:00.000Z',
    });
    expect(seen).toHaveLength(2);

    seen.length = 0;
    answers = [{ status: 400, body: { __type: 'ValidationException', message: 'bad key' } }];
    await expect(targets.findTarget('abc')).rejects.toMatchObject({ name: 'ValidationException' });
    expect(seen).toHaveLength(1);
  });
});

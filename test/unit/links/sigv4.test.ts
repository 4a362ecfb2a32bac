// The redirect's own Signature V4 against the AWS SDK's signer (@smithy/signature-v4, here only as the
// oracle): for the same request, date and credentials both must produce the very same headers.
import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { signedPostHeaders } from '../../../lambdas/adapters/sigv4.ts';
import { seededRandom } from '../../support/seeded.ts';

type Bytes = string | ArrayBuffer | ArrayBufferView;
const bytes = (data: Bytes): string | Uint8Array =>
  typeof data === 'string'
    ? data
    : data instanceof ArrayBuffer
      ? new Uint8Array(data)
      : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);

/** The `sha256` constructor the SDK's signer wants, on node:crypto. */
class Sha256 {
  private readonly hash;
  constructor(secret?: Bytes) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: Bytes): void {
    this.hash.update(bytes(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
}

async function sdkHeaders(input: {
  host: string;
  body: string;
  target: string;
  region: string;
  service: string;
  date: Date;
  sessionToken?: string;
}) {
  const signer = new SignatureV4({
    service: input.service,
    region: input.region,
    sha256: Sha256,
    credentials: {
      accessKeyId: 'AKIDEXAMPLE',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
      ...(input.sessionToken ? { sessionToken: input.sessionToken } : {}),
    },
  });
  const [hostname, port] = input.host.split(':');
  const signed = await signer.sign(
    {
      method: 'POST',
      protocol: 'https:',
      hostname: hostname ?? '',
      ...(port ? { port: Number(port) } : {}),
      path: '/',
      query: {},
      headers: { host: input.host, 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': input.target },
      body: input.body,
    },
    { signingDate: input.date },
  );
  return signed.headers;
}

describe('lambda-runtime', () => {
  it('R6.4 signs exactly as the AWS SDK does, with and without a session token, for any body, date and region', async () => {
    const random = seededRandom(20261129);
    for (let run = 0; run < 60; run++) {
      const input = {
        host: random.chance(0.5) ? 'dynamodb.eu-west-1.amazonaws.com' : `127.0.0.1:${random.int(1024, 65535)}`,
        body: JSON.stringify({ TableName: 'links', Key: { link: { S: `code-${random.int(0, 1e6)}  ü` } } }),
        target: random.pick(['DynamoDB_20120810.GetItem', 'Kinesis_20131202.PutRecord']),
        region: random.pick(['us-east-1', 'eu-west-1', 'ap-southeast-2']),
        service: random.pick(['dynamodb', 'kinesis']),
        date: new Date(Date.UTC(2020, 0, 1) + random.int(0, 10 * 365 * 24 * 3600) * 1000),
        ...(random.chance(0.7) ? { sessionToken: `token/${random.int(0, 1e9)}+=` } : {}),
      };
      const ours = signedPostHeaders({
        host: input.host,
        path: '/',
        headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': input.target },
        body: input.body,
        region: input.region,
        service: input.service,
        credentials: {
          accessKeyId: 'AKIDEXAMPLE',
          secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
          ...(input.sessionToken ? { sessionToken: input.sessionToken } : {}),
        },
        date: input.date,
      });
      expect(ours, `run ${run}`).toEqual(await sdkHeaders(input));
    }
  });
});

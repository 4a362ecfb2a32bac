// A minimal client for the AWS JSON protocols (DynamoDB's awsJson1_0, Kinesis' awsJson1_1): one signed
// POST per call, over node:http(s) with a keep-alive agent. It exists for the redirect's cold start: a
// function on the SDK clients costs about 2.5× a hello-world function's init CPU under the runtime harness
// (figures in `npm run bench`). Only the redirect uses it, for its two calls (GetItem, PutRecord).
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { type Credentials, signedPostHeaders } from './sigv4.ts';

export interface AwsJsonClientConfig {
  /** Signing name and endpoint prefix: `dynamodb`, `kinesis`. */
  service: string;
  /** `DynamoDB_20120810`, `Kinesis_20131202`. */
  targetPrefix: string;
  /** `application/x-amz-json-1.0` (DynamoDB) or `-1.1` (Kinesis). */
  contentType: string;
  env?: NodeJS.ProcessEnv;
}

/** An error answered by the service: `name` is its type (e.g. `ProvisionedThroughputExceededException`). */
export class AwsServiceError extends Error {
  constructor(
    override readonly name: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export class AwsJsonClient {
  private readonly endpoint: URL;
  private readonly region: string;
  private readonly credentials: () => Credentials;
  private readonly send: typeof httpRequest;
  private readonly agent: HttpAgent;

  constructor(private readonly config: AwsJsonClientConfig) {
    const env = config.env ?? process.env;
    const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
    // The SDK's endpoint variables, so local mode and the tests point this client where they point the SDK.
    this.endpoint = new URL(
      env[`AWS_ENDPOINT_URL_${config.service.toUpperCase()}`] ??
        env.AWS_ENDPOINT_URL ??
        `https://${config.service}.${region}.amazonaws.com`,
    );
    const https = this.endpoint.protocol === 'https:';
    this.send = https ? httpsRequest : httpRequest;
    this.agent = https ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
    this.region = region;
    // Lambda puts the function role's temporary credentials in these variables.
    this.credentials = () => ({
      accessKeyId: env.AWS_ACCESS_KEY_ID ?? '',
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? '',
      ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
    });
  }

  /** Calls `operation` with `input`; resolves with the parsed answer, rejects with AwsServiceError or a network error. */
  async call<T>(operation: string, input: unknown, signal?: AbortSignal): Promise<T> {
    const body = JSON.stringify(input);
    const { endpoint } = this;
    const headers = signedPostHeaders({
      host: endpoint.host,
      path: endpoint.pathname,
      headers: {
        'content-type': this.config.contentType,
        'x-amz-target': `${this.config.targetPrefix}.${operation}`,
      },
      body,
      region: this.region,
      service: this.config.service,
      credentials: this.credentials(),
    });
    const response = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = this.send(
        endpoint,
        { method: 'POST', headers, agent: this.agent, signal },
        (res: IncomingMessage) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            text += chunk;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
    const parsed = response.text ? (JSON.parse(response.text) as Record<string, unknown>) : {};
    if (response.status >= 200 && response.status < 300) return parsed as T;
    const type = String(parsed.__type ?? `HTTP ${response.status}`);
    throw new AwsServiceError(
      type.slice(type.lastIndexOf('#') + 1),
      String(parsed.message ?? parsed.Message ?? type),
      response.status,
    );
  }
}

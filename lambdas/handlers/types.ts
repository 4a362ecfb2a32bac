import type {
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyStructuredResultV2,
  KinesisStreamBatchResponse,
  KinesisStreamEvent,
} from 'aws-lambda';

/** An HTTP API (payload v2) handler; the event carries JWT claims when the route is authorized. */
export type ApiHandler = (event: APIGatewayProxyEventV2WithJWTAuthorizer) => Promise<APIGatewayProxyStructuredResultV2>;

/** A Kinesis event source mapping handler that reports partial batch failures. */
export type StreamHandler = (event: KinesisStreamEvent) => Promise<KinesisStreamBatchResponse>;

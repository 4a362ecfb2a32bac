// The redirect function's composition on Lambda. Its one read and its click puts go through lean JSON
// clients (`AwsJsonClient`) instead of the SDK, which alone would more than double its cold start; this
// module imports no SDK client, so none lands in the redirect's bundle. Local mode composes the same
// handler from the SDK adapters (`composition.ts`). Endpoints and credentials come from the variables
// the SDK reads too.
import { AwsJsonClient } from './adapters/aws-json-client.ts';
import { jsonLogger } from './adapters/json-logger.ts';
import { LeanDynamoLinkTargets } from './adapters/lean-dynamo-link-targets.ts';
import { LeanKinesisClickSink } from './adapters/lean-kinesis-click-sink.ts';
import type { RuntimeConfig } from './config.ts';
import { PendingClicks } from './domain/pending-clicks.ts';
import type { ClickRecorder, LinkStore } from './ports.ts';

export function leanRedirectPorts(
  config: RuntimeConfig,
  env: NodeJS.ProcessEnv = process.env,
): { links: Pick<LinkStore, 'findTarget'>; clicks: ClickRecorder } {
  const dynamodb = new AwsJsonClient({
    service: 'dynamodb',
    targetPrefix: 'DynamoDB_20120810',
    contentType: 'application/x-amz-json-1.0',
    env,
  });
  const kinesis = new AwsJsonClient({
    service: 'kinesis',
    targetPrefix: 'Kinesis_20131202',
    contentType: 'application/x-amz-json-1.1',
    env,
  });
  return {
    links: new LeanDynamoLinkTargets(dynamodb, config.tableName),
    clicks: new PendingClicks(new LeanKinesisClickSink(kinesis, config.streamName), jsonLogger()),
  };
}

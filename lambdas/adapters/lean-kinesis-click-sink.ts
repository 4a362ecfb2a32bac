import { type ClickEvent, encodeClick, newClickId } from '../domain/click.ts';
import type { ClickSink } from '../ports.ts';
import type { AwsJsonClient } from './aws-json-client.ts';

/**
 * KinesisClickSink's PutRecord on the lean JSON client, for the redirect: one HTTP request per put,
 * never retried here (the recorder owns retries), aborted by the recorder's deadline.
 */
export class LeanKinesisClickSink implements ClickSink {
  constructor(
    private readonly client: AwsJsonClient,
    private readonly streamName: string,
  ) {}

  async put(click: ClickEvent, signal?: AbortSignal): Promise<void> {
    // The put is started while the handler is still returning its 301; signing it is CPU work, so it waits
    // for the next turn of the event loop, once the runtime has posted the response.
    await new Promise((resolve) => setImmediate(resolve));
    signal?.throwIfAborted();
    await this.client.call(
      'PutRecord',
      {
        // kinesalite rejects calls that name the stream only by ARN.
        StreamName: this.streamName,
        // The click id spreads a hot link over every shard and keeps both attempts of a click on one.
        PartitionKey: click.id ?? newClickId(),
        Data: Buffer.from(encodeClick(click)).toString('base64'),
      },
      signal,
    );
  }
}

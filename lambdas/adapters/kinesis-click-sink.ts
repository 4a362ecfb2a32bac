import { randomUUID } from 'node:crypto';
import { type KinesisClient, PutRecordCommand } from '@aws-sdk/client-kinesis';
import { type ClickEvent, encodeClick } from '../domain/click.ts';
import type { ClickSink } from '../ports.ts';

/**
 * Puts one click per record. The partition key is the click's random id rather than the link code,
 * so that a hot link spreads over every shard instead of saturating one (the consumer never needs a
 * link's clicks in order, only each shard's records in order), while both attempts of one click land
 * on the same shard, where the consumer can recognise the second.
 */
export class KinesisClickSink implements ClickSink {
  constructor(
    private readonly client: KinesisClient,
    private readonly streamName: string,
    private readonly partitionKey: () => string = randomUUID,
  ) {}

  async put(click: ClickEvent, signal?: AbortSignal): Promise<void> {
    await this.client.send(
      new PutRecordCommand({
        // kinesalite rejects calls that name the stream only by ARN.
        StreamName: this.streamName,
        PartitionKey: click.id ?? this.partitionKey(),
        Data: encodeClick(click),
      }),
      { abortSignal: signal },
    );
  }
}

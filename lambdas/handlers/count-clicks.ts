import { decodeRecords } from '../adapters/kinesis-records.ts';
import { type CountClicksDeps, countClicks } from '../domain/count-clicks.ts';
import type { StreamHandler } from './types.ts';

/** The Kinesis adapter of the count-clicks use case: records in, the lowest unsettled record per shard out. */
export function countClicksHandler(deps: CountClicksDeps): StreamHandler {
  return async (event) => {
    const { retryFrom } = await countClicks(deps, decodeRecords(event.Records ?? [], deps.logger));
    return { batchItemFailures: retryFrom.map(({ sequenceNumber }) => ({ itemIdentifier: sequenceNumber })) };
  };
}

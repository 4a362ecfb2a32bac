import { LINKS_TABLE } from '../declarations/storage.ts';
import type { LinkStore, LinkTarget } from '../ports.ts';
import type { AwsJsonClient } from './aws-json-client.ts';
import { LINK_TARGET_PROJECTION, linkTargetOf } from './link-target-read.ts';

const { attributes: A } = LINKS_TABLE;

type AttributeValue = { S?: string };

/**
 * The redirect's one read, on the lean JSON client: GetItem of the link's `url`, `created`, expiry and
 * takedown. The same request DynamoLinkStore.findTarget sends through the SDK, retried once when DynamoDB
 * throttles or fails.
 */
export class LeanDynamoLinkTargets implements Pick<LinkStore, 'findTarget'> {
  constructor(
    private readonly client: AwsJsonClient,
    private readonly tableName: string,
  ) {}

  async findTarget(link: string): Promise<LinkTarget | undefined> {
    const input = {
      TableName: this.tableName,
      Key: { [A.link]: { S: link } },
      ...LINK_TARGET_PROJECTION,
    };
    const read = () => this.client.call<{ Item?: Record<string, AttributeValue> }>('GetItem', input);
    const { Item } = await read().catch((error: unknown) => {
      if (!isRetryable(error)) throw error;
      return read();
    });
    return linkTargetOf((attribute) => Item?.[attribute]?.S);
  }
}

/** Throttling, a server error or a broken connection: worth one more try; a 4xx is not. */
function isRetryable(error: unknown): boolean {
  const status = (error as { status?: number }).status;
  if (status === undefined) return true;
  return status >= 500 || /Throughput|Throttl|LimitExceeded/.test((error as Error).name);
}
